from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.forms import AssociationForm, CapacityForm, CheckInForm, DocumentForm, FairForm, ProgressForm, SeatForm, SignupForm
from events.models import Association, CalendarFeed, CitizenSignup, Fair, FairSeries, GroupSeat, Meeting, MeetingDocument, Project
from events.services import calendar, charts, figures, signups
from portal.exports import export_response
from portal.forms import error_text
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS

# --- fairs: what every role sees (aggregates) ------------------------------------------------------


def _series():
    return FairSeries.objects.prefetch_related("fairs", "programme").first()


@role_required(Role.MEMBER)
def fair_list(request):
    series = _series()
    if series is None:
        return render(request, "events/fair_list.html", {"series": None})
    numbers = figures.for_series(series)
    return render(request, "events/fair_list.html", {
        "series": series, "figures": numbers,
        "figure": charts.signups_figure(numbers, series.citizens_expected_min, series.citizens_expected_max),
        "can_register": has_role(request.user, Role.CASEWORKER), "is_admin": has_role(request.user, Role.ADMINISTRATOR),
        "fair_form": FairForm() if has_role(request.user, Role.ADMINISTRATOR) else None,
    })  # fmt: skip


@role_required(Role.MEMBER)
def fair_detail(request, pk):
    fair = get_object_or_404(Fair.objects.select_related("series"), pk=pk)
    numbers = next(f for f in figures.for_series(fair.series) if f.fair.pk == fair.pk)
    return render(request, "events/fair_detail.html", {
        "fair": fair, "programme": fair.series.programme.all(), "numbers": numbers,
        "benefit_groups": [(label, numbers.by_group[value]) for value, label in CitizenSignup.BenefitGroup.choices],
        "can_register": has_role(request.user, Role.CASEWORKER),
        "capacity_form": CapacityForm(instance=fair) if has_role(request.user, Role.ADMINISTRATOR) else None,
    })  # fmt: skip


@require_POST
@role_required(Role.ADMINISTRATOR)
def fair_add(request):
    series = get_object_or_404(FairSeries)
    form = FairForm(request.POST, instance=Fair(series=series))
    if form.is_valid():
        fair = form.save()
        messages.success(request, _("Messen på %(venue)s er oprettet.") % {"venue": fair.venue})
    else:
        messages.error(request, _("Messen blev ikke oprettet: %(errors)s") % {"errors": error_text(form)})
    return redirect("events:fair_list")


@require_POST
@role_required(Role.ADMINISTRATOR)
def fair_capacity(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    form = CapacityForm(request.POST, instance=fair)
    if form.is_valid():
        promoted = signups.set_capacity(fair.pk, form.cleaned_data["capacity"])
        messages.success(request, ngettext(
            "Antallet af pladser er gemt. %(n)s borger er rykket op fra ventelisten.",
            "Antallet af pladser er gemt. %(n)s borgere er rykket op fra ventelisten.", len(promoted)) % {"n": len(promoted)})
    else:
        messages.error(request, _("Antallet af pladser skal være et helt tal, 0 eller derover."))
    return redirect("events:fair_detail", pk)


# --- sign-ups: caseworkers and administrators only (names) ----------------------------------------


@role_required(Role.CASEWORKER)
def signup_list(request, pk):
    fair = get_object_or_404(Fair.objects.select_related("series"), pk=pk)
    form = SignupForm(request.POST or None, series=fair.series, initial={"fairs": [fair]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = signups.register(list(data["fairs"]), data, request.user, data["submission_key"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for signup in created:
                if signup.status == CitizenSignup.Status.CONFIRMED:
                    messages.success(request, _("%(name)s er tilmeldt messen på %(venue)s.") % {"name": signup.name, "venue": signup.fair.venue})
                else:
                    messages.warning(request, _("Messen på %(venue)s er fuld: %(name)s er sat på venteliste.") % {"name": signup.name, "venue": signup.fair.venue})
            return redirect("events:signups", pk)
    rows = list(fair.signups.select_related("registered_by"))
    return render(request, "events/signups.html", {
        "fair": fair, "form": form, "confirmed": [s for s in rows if s.status == CitizenSignup.Status.CONFIRMED],
        "waiting": [s for s in rows if s.status == CitizenSignup.Status.WAITING],
        "cancelled": [s for s in rows if s.status == CitizenSignup.Status.CANCELLED],
        "open": fair.date >= timezone.localdate(),
    })  # fmt: skip


@require_POST
@role_required(Role.CASEWORKER)
def signup_cancel(request, pk):
    """Two steps, without JavaScript: the list's button asks here, the confirmation page's button cancels."""
    signup = get_object_or_404(CitizenSignup.objects.select_related("fair"), pk=pk)
    if request.POST.get("bekraeft") != "ja":
        return render(request, "events/signup_cancel.html", {"signup": signup, "fair": signup.fair})
    promoted = signups.cancel(signup.pk)
    messages.success(request, _("Tilmeldingen er afmeldt."))
    if promoted:
        messages.success(request, _("%(name)s er rykket op fra ventelisten.") % {"name": promoted.name})
    return redirect("events:signups", signup.fair_id)


@role_required(Role.CASEWORKER)
def checkin(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Vælg en borger og 'Mødt' eller 'Ikke mødt'."))
            return redirect("events:checkin", pk)
        signup = get_object_or_404(fair.signups, pk=form.cleaned_data["signup"], status=CitizenSignup.Status.CONFIRMED)
        signups.check_in(signup.pk, form.cleaned_data["attended"] == "ja")
        return redirect(reverse("events:checkin", args=[pk]) + f"#borger-{signup.pk}")
    rows = fair.signups.filter(status=CitizenSignup.Status.CONFIRMED).order_by("name")
    return render(request, "events/checkin.html", {"fair": fair, "signups": rows})


@role_required(Role.CASEWORKER)
def participants(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    rows = fair.signups.filter(status=CitizenSignup.Status.CONFIRMED).order_by("name")
    if request.GET.get("eksport") in EXPORT_FORMATS:
        headers = [_("Navn"), _("Ydelse"), _("Transport"), _("Tilgængelighed"), _("Telefon"), _("E-mail"), _("Mødt op")]
        data = [[s.name, s.get_benefit_group_display(), s.needs_transport, s.needs_accessibility, s.phone, s.email, s.attended] for s in rows]
        return export_response(request.GET["eksport"], f"deltagere-{fair.date:%Y-%m-%d}", headers, data, title=_("Deltagere"))
    return render(request, "events/participants.html", {"fair": fair, "signups": rows})


@role_required(Role.CASEWORKER)
def exhibitors(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    rows = fair.associations.filter(status=Association.Status.REGISTERED).order_by("name")
    if request.GET.get("eksport") in EXPORT_FORMATS:
        headers = [_("Kulturaktør"), _("Kontaktperson"), _("Kontakt"), _("Tilbud"), _("Frivilligjob"), _("Fællesskab")]
        data = [[a.name, a.contact_person, a.contact, a.offers_activity, a.offers_volunteering, a.offers_community] for a in rows]
        return export_response(request.GET["eksport"], f"udstillere-{fair.date:%Y-%m-%d}", headers, data, title=_("Udstillere"))
    return render(request, "events/exhibitors.html", {"fair": fair, "associations": rows})


@role_required(Role.CASEWORKER)
def association_list(request):
    series = get_object_or_404(FairSeries)
    rows = series.associations.prefetch_related("fairs")
    return render(request, "events/associations.html", {"series": series, "associations": rows, "figures": figures.for_series(series)})


@role_required(Role.CASEWORKER)
def association_edit(request, pk=None):
    series = get_object_or_404(FairSeries)
    association = get_object_or_404(Association, pk=pk) if pk else Association(series=series)
    form = AssociationForm(request.POST or None, instance=association, series=series,
                           may_pass_deadline=has_role(request.user, Role.ADMINISTRATOR))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.status == Association.Status.REGISTERED and saved.registered_at is None:
            saved.registered_at = timezone.now()
        saved.save()
        form.save_m2m()
        messages.success(request, _("%(name)s er gemt.") % {"name": saved.name})
        return redirect("events:associations")
    return render(request, "events/association_form.html", {"form": form, "association": association if pk else None})


# --- the 50+ project ----------------------------------------------------------------------------------


@role_required(Role.MEMBER)
def project_page(request, progress_form=None, document_form=None):
    project = Project.objects.prefetch_related("partners", "seats", "meetings__documents", "progress").first()
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    reports = list(project.progress.all()) if project else []
    return render(request, "events/project.html", {
        "project": project, "reports": reports, "today": timezone.localdate(),
        "figure": charts.progress_figure(reports, project.target_participants) if reports else None,
        "totals": {"joint": sum(r.joint_conversations for r in reports), "offers": sum(r.offers_started for r in reports),
                   "job": reports[-1].in_job_or_education if reports else 0},
        "progress_form": progress_form or (ProgressForm() if is_admin else None),
        "document_form": document_form or (DocumentForm() if is_admin else None),
        "is_admin": is_admin,
    })  # fmt: skip


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
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Dokumentet blev ikke gemt. Ret fejlene nedenfor."))
        return project_page(request, document_form=form)
    document = form.save(commit=False)
    document.meeting, document.uploaded_by = meeting, request.user
    document.save()
    messages.success(request, _("Dokumentet er gemt."))
    return redirect(reverse("events:project") + f"#moede-{meeting.pk}")


@role_required(Role.MEMBER)
def document_download(request, pk):
    document = get_object_or_404(MeetingDocument, pk=pk)
    try:
        suffix = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else ""
        filename = f"{slugify(document.title) or 'dokument'}.{suffix}".rstrip(".")
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)
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
    return render(request, "events/seat_form.html", {"form": form, "seat": seat})


# --- calendar -------------------------------------------------------------------------------------------


@role_required(Role.MEMBER)
def calendar_page(request):
    feed = CalendarFeed.objects.get_or_create(user=request.user)[0]
    if request.method == "POST":
        feed.renew()
        messages.success(request, _("Du har fået en ny kalenderadresse. Den gamle virker ikke længere."))
        return redirect("events:calendar")
    url = request.build_absolute_uri(reverse("events:calendar_feed", args=[feed.token]))
    return render(request, "events/calendar.html", {"url": url})


def calendar_feed(request, token):
    """The .ics feed: calendar apps cannot log in, so the personal token is the key (login_not_required in urls)."""
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()
    if feed is None or not has_role(feed.user, Role.MEMBER):
        raise Http404
    response = HttpResponse(calendar.ics(request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="udvalgsportalen.ics"'
    return response
