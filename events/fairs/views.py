"""The fairs' pages: aggregates for every role; names only for caseworkers and administrators.

Each view parses the request, calls the fairs' services and renders.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.fairs.forms import AssociationForm, CapacityForm, CheckInForm, FairForm, SignupForm
from events.fairs.models import Association, CitizenSignup, Fair, FairSeries
from events.fairs.services import overview, signups
from events.fairs.tables import ExhibitorTable, ParticipantTable
from portal.forms import error_text, save_unique
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS

# --- what every role sees (aggregates) ----------------------------------------------------------------


@role_required(Role.MEMBER)
def fair_list(request):
    context = overview.series_overview()
    if context["series"] is not None:
        is_admin = has_role(request.user, Role.ADMINISTRATOR)
        context.update(
            can_register=has_role(request.user, Role.CASEWORKER),
            is_admin=is_admin,
            fair_form=FairForm() if is_admin else None,
        )
    return render(request, "events/fairs/fair_list.html", context)


@role_required(Role.MEMBER)
def fair_detail(request, pk):
    fair = get_object_or_404(Fair.objects.select_related("series"), pk=pk)
    context = overview.fair_overview(fair)
    context.update(
        can_register=has_role(request.user, Role.CASEWORKER),
        capacity_form=CapacityForm(instance=fair) if has_role(request.user, Role.ADMINISTRATOR) else None,
    )
    return render(request, "events/fairs/fair_detail.html", context)


@require_POST
@role_required(Role.ADMINISTRATOR)
def fair_add(request):
    series = get_object_or_404(FairSeries)
    form = FairForm(request.POST, instance=Fair(series=series))
    fair = form.is_valid() and save_unique(
        form,
        form.save,
        _("Der er allerede en messe på %(venue)s den %(date)s.")
        % {"venue": form.cleaned_data["venue"], "date": date_format(form.cleaned_data["date"])},
    )
    if fair:
        messages.success(request, _("Messen på %(venue)s er oprettet.") % {"venue": fair.venue})
    else:
        messages.error(request, _("Messen blev ikke oprettet: %(errors)s") % {"errors": error_text(form)})
    return redirect("events:fair_list")


@require_POST
@role_required(Role.ADMINISTRATOR)
def fair_capacity(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    form = CapacityForm(request.POST, instance=fair)
    if not form.is_valid():
        messages.error(request, _("Antallet af pladser skal være et helt tal, 0 eller derover."))
        return redirect("events:fair_detail", pk)
    promoted = signups.set_capacity(fair.pk, form.cleaned_data["capacity"])
    messages.success(
        request,
        ngettext(
            "Antallet af pladser er gemt. %(n)s borger er rykket op fra ventelisten.",
            "Antallet af pladser er gemt. %(n)s borgere er rykket op fra ventelisten.",
            len(promoted),
        )
        % {"n": len(promoted)},
    )
    return redirect("events:fair_detail", pk)


# --- sign-ups: caseworkers and administrators only (names) ----------------------------------------


def _signup_message(request, signup: CitizenSignup) -> None:
    """Tell the caseworker where the citizen ended up: a seat, or the waiting list."""
    names = {"name": signup.name, "venue": signup.fair.venue}
    if signup.status == CitizenSignup.Status.CONFIRMED:
        messages.success(request, _("%(name)s er tilmeldt messen på %(venue)s.") % names)
    else:
        messages.warning(request, _("Messen på %(venue)s er fuld: %(name)s er sat på venteliste.") % names)


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
                _signup_message(request, signup)
            return redirect("events:signups", pk)
    context = {
        "fair": fair,
        "form": form,
        "open": fair.date >= timezone.localdate(),
        **overview.signups_by_status(fair, show_all=request.GET.get("alle") == "1"),
    }
    return render(request, "events/fairs/signups.html", context)


@require_POST
@role_required(Role.CASEWORKER)
def signup_cancel(request, pk):
    """Two steps, without JavaScript: the list's button asks here, the confirmation page's button cancels."""
    signup = get_object_or_404(CitizenSignup.objects.select_related("fair"), pk=pk)
    refusal = signup.cancel_refusal(timezone.localdate(), signup.fair.date)
    if request.POST.get("bekraeft") != "ja" or refusal:
        context = {"signup": signup, "fair": signup.fair, "refusal": refusal}
        return render(request, "events/fairs/signup_cancel.html", context)
    try:
        promoted = signups.cancel(signup.pk)
    except ValidationError as error:  # attendance noted meanwhile at the check-in
        messages.error(request, " ".join(error.messages))
        return redirect("events:signups", signup.fair_id)
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
        try:
            signups.check_in(signup.pk, form.cleaned_data["attended"] == "ja")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:checkin", pk)
        return redirect(reverse("events:checkin", args=[pk]) + f"#borger-{signup.pk}")
    context = {"fair": fair, "signups": overview.participants(fair), "open": fair.checkin_open(timezone.localdate())}
    return render(request, "events/fairs/checkin.html", context)


@role_required(Role.CASEWORKER)
def participants(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    rows = overview.participants(fair)
    if request.GET.get("eksport") in EXPORT_FORMATS:
        return ParticipantTable(rows).export(request.GET["eksport"], f"deltagere-{fair.date:%Y-%m-%d}")
    return render(request, "events/fairs/participants.html", {"fair": fair, "signups": rows})


@role_required(Role.CASEWORKER)
def exhibitors(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    rows = overview.exhibitors(fair)
    if request.GET.get("eksport") in EXPORT_FORMATS:
        return ExhibitorTable(rows).export(request.GET["eksport"], f"udstillere-{fair.date:%Y-%m-%d}")
    return render(request, "events/fairs/exhibitors.html", {"fair": fair, "associations": rows})


@role_required(Role.CASEWORKER)
def association_list(request):
    series = get_object_or_404(FairSeries)
    return render(request, "events/fairs/associations.html", overview.associations(series))


@role_required(Role.CASEWORKER)
def association_edit(request, pk=None):
    series = get_object_or_404(FairSeries)
    association = get_object_or_404(Association, pk=pk) if pk else Association(series=series)
    may_pass_deadline = has_role(request.user, Role.ADMINISTRATOR)
    form = AssociationForm(
        request.POST or None, instance=association, series=series, may_pass_deadline=may_pass_deadline
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and save_unique(form, form.save, _("Der er allerede en kulturaktør med dette navn."))
    )
    if saved:
        messages.success(request, _("%(name)s er gemt.") % {"name": saved.name})
        return redirect("events:associations")
    return render(
        request, "events/fairs/association_form.html", {"form": form, "association": association if pk else None}
    )
