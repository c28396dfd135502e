"""The 50+ project's page: the follow-up group, its meetings and documents, the quarterly figures."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.project.forms import DocumentForm, ProgressForm, SeatForm
from events.project.models import GroupSeat, Meeting, MeetingDocument, Project
from events.project.services import documents, progress
from portal.roles import Role, has_role, role_required


def _document_form(meeting, *args) -> DocumentForm:
    """A meeting's upload form; its fields' ids name the meeting, so each meeting's labels point at its own fields."""
    return DocumentForm(*args, auto_id=f"id_moede{meeting.pk}_%s")


@role_required(Role.MEMBER)
def project_page(request, progress_form=None, failed_upload=None):
    """The project page; after a refused upload, `failed_upload` is (meeting, its form with the errors)."""
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    context = progress.project_overview()
    project = context["project"]
    failed_meeting, failed_form = failed_upload or (None, None)
    context.update(
        today=timezone.localdate(),
        is_admin=is_admin,
        progress_form=progress_form or (ProgressForm() if is_admin else None),
        # Each meeting with its upload form (administrators only).
        meetings=[
            (meeting, (failed_form if meeting == failed_meeting else _document_form(meeting)) if is_admin else None)
            for meeting in (project.meetings.all() if project else [])
        ],
    )
    return render(request, "events/project/project.html", context)


@require_POST
@role_required(Role.ADMINISTRATOR)
def progress_save(request):
    project = get_object_or_404(Project)
    form = ProgressForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _("Kvartalstallene blev ikke gemt. Ret fejlene nedenfor."))
        return project_page(request, progress_form=form)
    report = form.save(commit=False)
    report.project, report.entered_by = project, request.user
    report.save()
    messages.success(request, _("Tallene for %(quarter)s er gemt.") % {"quarter": report.quarter})
    return redirect(reverse("events:project") + "#fremdrift")


@require_POST
@role_required(Role.ADMINISTRATOR)
def document_upload(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = _document_form(meeting, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Dokumentet blev ikke gemt. Ret fejlene nedenfor."))
        return project_page(request, failed_upload=(meeting, form))
    document = form.save(commit=False)
    document.meeting, document.uploaded_by = meeting, request.user
    document.save()
    messages.success(request, _("Dokumentet er gemt."))
    return redirect(reverse("events:project") + f"#moede-{meeting.pk}")


@role_required(Role.MEMBER)
def document_download(request, pk):
    document = get_object_or_404(MeetingDocument, pk=pk)
    try:
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=documents.download_name(document))
    except FileNotFoundError:
        raise Http404 from None


@role_required(Role.ADMINISTRATOR)
def seat_edit(request, pk):
    seat = get_object_or_404(GroupSeat, pk=pk)
    form = SeatForm(request.POST or None, instance=seat)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pladsen er gemt."))
        return redirect("events:project")
    return render(request, "events/project/seat_form.html", {"form": form, "seat": seat})
