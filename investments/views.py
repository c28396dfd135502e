from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investments.forms import FigureForm, RealisationForm
from investments.models import Proposal, Strategy
from investments.pool.services import rounds as pool_rounds
from investments.services import changes, charts, summary
from investments.tables import BudgetTable, SummaryTable
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS


def _strategy():
    return Strategy.objects.prefetch_related("proposals").first()


@role_required(Role.MEMBER)
def overview(request):
    strategy = _strategy()
    if strategy is None:
        return render(request, "investments/overview.html", {"strategy": None})
    data = summary.overview(strategy)
    table = SummaryTable.build(data, caption=_("Samlet oversigt over virkningen af investeringstiltagene (1.000 kr.)"))
    if request.GET.get("eksport") in EXPORT_FORMATS:
        return table.export(request.GET["eksport"], "investeringer-samlet-oversigt")
    return render(
        request,
        "investments/overview.html",
        {
            "strategy": strategy,
            "overview": data,
            "table": table,
            "figure": charts.net_effect_figure(data),
            "pool": pool_rounds.summary(timezone.localdate()),
        },
    )


@role_required(Role.MEMBER)
def budget(request):
    strategy = _strategy()
    if strategy is None:
        return render(request, "investments/budget.html", {"strategy": None})
    data = summary.overview(strategy)
    table = BudgetTable.build(
        data, caption=_("Forsigtig budgettering (mio. kr., %(level)s)") % {"level": strategy.price_level}
    )
    if request.GET.get("eksport") in EXPORT_FORMATS:
        return table.export(request.GET["eksport"], "investeringer-forsigtig-budgettering")
    return render(request, "investments/budget.html", {"strategy": strategy, "overview": data, "table": table})


def _proposal(number):
    return get_object_or_404(Proposal.objects.select_related("strategy"), number=number)


@role_required(Role.MEMBER)
def proposal_detail(request, number, figure_form=None, realisation_form=None):
    proposal = _proposal(number)
    data = summary.overview(proposal.strategy)
    mine = next(p for p in data.proposals if p.proposal.id == proposal.id)
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    return render(
        request,
        "investments/proposal_detail.html",
        {
            "proposal": proposal,
            "summary": mine,
            "figure": charts.realised_figure(mine),
            "realisations": proposal.realisations.select_related("entered_by"),
            "history": changes.history(proposal),
            "figure_form": figure_form or (FigureForm(strategy=proposal.strategy) if is_admin else None),
            "realisation_form": realisation_form or (RealisationForm(strategy=proposal.strategy) if is_admin else None),
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def figure_save(request, number):
    proposal = _proposal(number)
    form = FigureForm(request.POST, strategy=proposal.strategy)
    if not form.is_valid():
        messages.error(request, _("Tallene blev ikke gemt. Ret fejlene nedenfor."))
        return proposal_detail(request, number, figure_form=form)
    data = form.cleaned_data
    changes.save_figure(proposal, data["year"], data["investment"], data["savings"])
    messages.success(request, _("Tallene for %(year)s er gemt.") % {"year": data["year"]})
    return redirect(reverse("investments:proposal_detail", args=[number]) + "#aarstal")


@require_POST
@role_required(Role.ADMINISTRATOR)
def realisation_save(request, number):
    proposal = _proposal(number)
    form = RealisationForm(request.POST, strategy=proposal.strategy)
    if not form.is_valid():
        messages.error(request, _("Realiseringen blev ikke gemt. Ret fejlene nedenfor."))
        return proposal_detail(request, number, realisation_form=form)
    data = form.cleaned_data
    changes.save_realisation(proposal, data["month"], data["amount"], data["note"], request.user)
    messages.success(request, _("Realiseringen er gemt."))
    return redirect(reverse("investments:proposal_detail", args=[number]) + "#realisering")
