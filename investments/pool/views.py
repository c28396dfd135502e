"""The pool's pages for the portal's users. Members and caseworkers read applications, assessments and
decisions; the applicant's contact data, the files and every form are for administrators only."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investments.pool.forms import (
    ApplicationForm,
    AssessmentForm,
    DecisionForm,
    FollowUpForm,
    PoolYearForm,
    RoundForm,
)
from investments.pool.models import Application, Assessment, Attachment, FollowUp, PoolRound, PoolYear
from investments.pool.services import agenda_pdf, attachments, decisions, exports, rounds, years
from portal.forms import error_text
from portal.pdf import PdfUnavailable
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS


@role_required(Role.MEMBER)
def pool_overview(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("aar", today.year))
    except ValueError:
        raise Http404 from None
    pool_year = PoolYear.objects.filter(year=year).first()
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    return render(
        request,
        "investments/pool/overview.html",
        {
            "year": year,
            "figures": rounds.year_figures(pool_year) if pool_year else None,
            "years": list(PoolYear.objects.values_list("year", flat=True)),
            "open_round": rounds.open_round(today),
            "year_form": PoolYearForm(instance=pool_year) if is_admin else None,
            "is_admin": is_admin,
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def pool_year_save(request, year):
    form = PoolYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
    else:
        try:
            years.set_amount(year, form.cleaned_data["amount"])
            messages.success(request, _("Puljen for %(year)s er gemt.") % {"year": year})
        except decisions.DecisionRefused as refused:
            messages.error(request, str(refused))
    return redirect(f"{reverse('investments:pool')}?aar={year}")


def _round(pk):
    return get_object_or_404(PoolRound.objects.select_related("pool_year"), pk=pk)


@role_required(Role.MEMBER)
def pool_round(request, pk, round_form=None):
    pool_round = _round(pk)
    if request.GET.get("eksport") in EXPORT_FORMATS:
        return exports.export(request.GET["eksport"], pool_round)
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    return render(
        request,
        "investments/pool/round.html",
        {
            "round": pool_round,
            "figures": rounds.year_figures(pool_round.pool_year),
            "applications": exports.round_applications(pool_round),
            "round_form": round_form or (RoundForm(instance=pool_round) if is_admin else None),
            "is_admin": is_admin,
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def pool_round_save(request, pk):
    form = RoundForm(request.POST, instance=_round(pk))
    if not form.is_valid():
        messages.error(request, _("Runden blev ikke gemt. Ret fejlene nedenfor."))
        return pool_round(request, pk, round_form=form)
    form.save()
    messages.success(request, _("Runden er gemt."))
    return redirect("investments:pool_round", pk=pk)


@role_required(Role.MEMBER)
def pool_round_agenda(request, pk):
    pool_round = _round(pk)
    try:
        pdf = agenda_pdf.render(pool_round, timezone.localdate())
    except PdfUnavailable:
        messages.error(
            request,
            _(
                "PDF-udgaven kan ikke laves på denne server, fordi WeasyPrint eller dets "
                "systembiblioteker (Pango) ikke er installeret. Brug udskriften eller XLSX-filen."
            ),
        )
        return redirect("investments:pool_round", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agenda_pdf.filename(pool_round)}"'
    return response


def _application(pk):
    return get_object_or_404(
        Application.objects.select_related("round__pool_year").prefetch_related("decisions", "follow_ups"), pk=pk
    )


@role_required(Role.MEMBER)
def pool_application(request, pk, assessment_form=None, decision_form=None, follow_up_form=None):
    application = _application(pk)
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    assessment = getattr(application, "assessment", None)
    context = {
        "application": application,
        "assessment": assessment,
        "decisions": application.decisions.all(),
        "follow_ups": application.follow_ups.all(),
        "is_admin": is_admin,
    }
    if is_admin:  # contact data, files and forms: administrators only
        granted = application.state == Application.State.GRANTED
        context.update(
            {
                "attachments": application.attachments.all(),
                "assessment_form": assessment_form or AssessmentForm(instance=assessment),
                "decision_form": decision_form
                or (None if granted else DecisionForm(initial={"meeting_date": application.round.meeting_date})),
                "follow_up_form": follow_up_form or (FollowUpForm() if granted else None),
            }
        )
    return render(request, "investments/pool/application.html", context)


@require_POST
@role_required(Role.ADMINISTRATOR)
def pool_assessment_save(request, pk):
    application = _application(pk)
    form = AssessmentForm(
        request.POST, instance=getattr(application, "assessment", None) or Assessment(application=application)
    )
    if not form.is_valid():
        messages.error(request, _("Vurderingen blev ikke gemt. Ret fejlene nedenfor."))
        return pool_application(request, pk, assessment_form=form)
    data = form.cleaned_data
    decisions.assess(application, data["text"], data["recommendation"], data["proposed_amount"], request.user)
    messages.success(request, _("Vurderingen er gemt."))
    return redirect(reverse("investments:pool_application", args=[pk]) + "#vurdering")


@require_POST
@role_required(Role.ADMINISTRATOR)
def pool_decision_save(request, pk):
    application = _application(pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Afgørelsen blev ikke gemt. Ret fejlene nedenfor."))
        return pool_application(request, pk, decision_form=form)
    data = form.cleaned_data
    try:
        decision = decisions.decide(
            application, data["outcome"], data["meeting_date"], request.user, data["granted_amount"], data["message"]
        )
    except decisions.DecisionRefused as refused:
        form.add_error(None, str(refused))
        messages.error(request, str(refused))
        return pool_application(request, pk, decision_form=form)
    messages.success(request, _("Afgørelsen er gemt."))
    if data["notify"]:
        if decisions.notify(decision):
            messages.success(request, _("Ansøgeren har fået afgørelsen på e-mail."))
        else:
            messages.warning(request, _("Ansøgningen har ingen e-mailadresse; giv ansøgeren besked på anden vis."))
    return redirect(reverse("investments:pool_application", args=[pk]) + "#afgoerelse")


@require_POST
@role_required(Role.ADMINISTRATOR)
def pool_follow_up_save(request, pk):
    application = _application(pk)
    if application.state != Application.State.GRANTED:
        raise Http404  # only a grant is followed up
    form = FollowUpForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Opfølgningen blev ikke gemt. Ret fejlene nedenfor."))
        return pool_application(request, pk, follow_up_form=form)
    data = form.cleaned_data
    with transaction.atomic():
        # The open follow-up is filed (or its date moved); after a filed one, a new one is made.
        follow_up = application.follow_ups.filter(filed_at__isnull=True).first() or FollowUp(application=application)
        follow_up.due_date = data["due_date"]
        follow_up.save()
        if data["report"]:
            decisions.file_follow_up(follow_up, data["report"], request.user)
        for upload in data["attachments"]:
            attachments.store(upload, application, follow_up)
    messages.success(request, _("Opfølgningen er gemt."))
    return redirect(reverse("investments:pool_application", args=[pk]) + "#opfoelgning")


@role_required(Role.ADMINISTRATOR)
def pool_application_new(request):
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            application = form.save(commit=False)
            application.registered_by = request.user
            application.save()
            for upload in form.cleaned_data["attachments"]:
                attachments.store(upload, application)
        messages.success(request, _("Ansøgningen er registreret."))
        return redirect("investments:pool_application", pk=application.pk)
    return render(request, "investments/pool/application_form.html", {"form": form})


@role_required(Role.ADMINISTRATOR)
def pool_attachment(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    content = attachments.read_checked(attachment)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=attachments.PDF_TYPE)
    # Downloaded, never shown inline: the file came from outside the municipality.
    response["Content-Disposition"] = f'attachment; filename="bilag-{attachment.pk}.pdf"'
    return response
