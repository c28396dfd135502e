"""The collection round's pages: the administrators' board and data owners, and a data owner's figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.collection.forms import FiguresForm, OwnersForm, StartRoundForm, TemplateUploadForm, range_text
from plans.collection.models import CollectionRound
from plans.collection.services import figures, notices, ownership, rounds, upload
from plans.imports import tasks as import_tasks
from plans.imports.template import key
from plans.models import Plan
from portal.forms import error_text
from portal.roles import Role, has_role, role_or_data_owner_required, role_required


@role_required(Role.ADMINISTRATOR)
def board(request):
    today = timezone.localdate()
    all_rounds = list(CollectionRound.objects.all())
    chosen = request.GET.get("runde", "")
    current = next((r for r in all_rounds if str(r.pk) == chosen), all_rounds[0] if all_rounds else None)
    return render(
        request,
        "plans/collection/board.html",
        {
            "rounds": all_rounds,
            "current": current,
            "rows": rounds.board(current, today) if current else [],
            "start_form": StartRoundForm(periods=rounds.round_periods(today)),
            "today": today,
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def round_start(request):
    today = timezone.localdate()
    form = StartRoundForm(request.POST, periods=rounds.round_periods(today))
    if not form.is_valid():
        messages.error(request, _("Runden blev ikke startet: %(errors)s") % {"errors": error_text(form)})
        return redirect("collection:board")
    with transaction.atomic():
        found, created = rounds.start(form.cleaned_data["period"], request.user, request.build_absolute_uri("/"))
        if created:
            transaction.on_commit(lambda: notices.invite(found.pk, today))
    if created:
        messages.success(
            request,
            _("Indsamlingen for %(period)s er startet, og de dataansvarlige har fået en e-mail.")
            % {"period": found.period.label},
        )
    else:
        messages.info(request, _("Der er allerede en indsamling for %(period)s.") % {"period": found.period.label})
    return redirect(f"{reverse('collection:board')}?runde={found.pk}")


@role_required(Role.ADMINISTRATOR)
def owners(request):
    plan = Plan.objects.in_force(timezone.localdate())
    indicators = ownership.local_indicators(plan) if plan else []
    form = OwnersForm(request.POST or None, indicators=indicators, users=list(ownership.candidates()))
    if request.method == "POST" and form.is_valid():
        changed = ownership.assign(form.owners())
        messages.success(request, _("De dataansvarlige er gemt (%(n)s ændret).") % {"n": changed})
        return redirect("collection:owners")
    return render(request, "plans/collection/owners.html", {"form": form, "plan": plan})


@role_or_data_owner_required(Role.ADMINISTRATOR)
def mine(request):
    """The rounds the user owes figures in, each with how many are received."""
    summary = {}
    for item in rounds.items(owner=request.user):
        entry = summary.setdefault(item.round.pk, {"round": item.round, "received": 0, "missing": 0})
        entry["received" if item.received else "missing"] += 1
    return render(request, "plans/collection/mine.html", {"summary": list(summary.values())})


def _round_items(request, pk):
    """The round and the items the user may enter: all for an administrator, else their own (403 if none)."""
    round_ = get_object_or_404(CollectionRound, pk=pk)
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    found = list(rounds.items(round_, owner=None if is_admin else request.user))
    if not is_admin and not found:
        raise PermissionDenied
    return round_, found


@role_or_data_owner_required(Role.ADMINISTRATOR)
def figures_page(request, pk):
    round_, found = _round_items(request, pk)
    today = timezone.localdate()
    current, earlier = figures.known_values(found)
    form = FiguresForm(request.POST or None, items=found, current=current, today=today)
    if request.method == "POST" and form.is_valid():
        figures.submit(form.entries, request.user)
        messages.success(
            request,
            _("%(n)s tal er gemt, og målenes status er opdateret.") % {"n": len(form.entries)},
        )
        return redirect("collection:figures", pk=round_.pk)
    rows = []
    for item in found:
        item.overdue = rounds.is_overdue(item, today)
        rows.append(
            {
                "item": item,
                "range": range_text(item.indicator),
                "previous": earlier.get(item.pk),
                "previous_period": figures.previous(item.period),
                "fields": form.fields_of(item),
            }
        )
    return render(
        request,
        "plans/collection/figures.html",
        {"round": round_, "rows": rows, "form": form, "upload_form": TemplateUploadForm()},
    )


@role_or_data_owner_required(Role.ADMINISTRATOR)
def owner_template(request, pk):
    round_, found = _round_items(request, pk)
    if not found:
        raise Http404
    plan = found[0].indicator.goal.plan
    content = upload.owner_template(plan, sorted({i.indicator_id for i in found}), timezone.localdate())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="lokale-tal-{round_.period_code}.xlsx"'
    return response


@require_POST
@role_or_data_owner_required(Role.ADMINISTRATOR)
def template_upload(request, pk):
    round_, found = _round_items(request, pk)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Filen blev ikke modtaget: %(errors)s") % {"errors": error_text(form)})
        return redirect("collection:figures", pk=round_.pk)
    try:
        with transaction.atomic():
            record = upload.accept(form.cleaned_data["file"], request.user, {key(i.indicator) for i in found})
            transaction.on_commit(lambda: import_tasks.queue(record.pk))
    except upload.UploadRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Skabelonen er modtaget og indlæses nu; tallene står på siden, når den er indlæst (import #%(pk)s).")
            % {"pk": record.pk},
        )
    return redirect("collection:figures", pk=round_.pk)
