"""The minister's benchmark page, and the comparison groups that administrators keep for it."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.forms import ComparisonGroupForm
from plans.models import ComparisonGroup
from plans.services import benchmark as service
from plans.services import charts
from plans.tables import BenchmarkRankingTable, BenchmarkTable
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS


@role_required(Role.MEMBER)
def benchmark(request):
    data = service.build(request.GET.get("periode"), request.GET.get("ydelse"), request.GET.get("gruppe"))
    period, results = data.period, data.results
    rows = [
        {"benefit_group": r.benefit_group, "expected": r.expected, "actual": r.actual, "difference": r.difference, "rank": r.rank}
        for r in results
    ]
    table = BenchmarkTable(rows, caption=_("Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse, %(period)s")
                           % {"period": period.label} if period else "")  # fmt: skip
    ranking = BenchmarkRankingTable(
        [{"rank": p.rank, "area": p.area, "expected": p.expected, "actual": p.actual, "difference": p.difference,
          "group_rank": p.group_rank, "mine": p.mine} for p in data.ranking],
        caption=_ranking_caption(data), in_group=data.group is not None,
    )  # fmt: skip
    if request.GET.get("eksport") in EXPORT_FORMATS and period:
        if request.GET.get("tabel") == "rangliste":
            return ranking.export(request.GET["eksport"], f"benchmark-rangliste-{period.code}")
        return table.export(request.GET["eksport"], f"benchmark-{period.code}")
    figure = charts.benchmark_figure([r.benefit_group for r in results], [r.expected for r in results], [r.actual for r in results]) if results else None  # fmt: skip
    return render(request, "plans/benchmark.html", {
        "periods": data.periods, "period": period, "results": results, "table": table, "figure": figure,
        "data": data, "ranking": ranking, "area": settings.PORTAL_AREA, "is_admin": has_role(request.user, Role.ADMINISTRATOR),
    })  # fmt: skip


def _ranking_caption(data: service.Benchmark) -> str:
    values = {"group": data.benefit_group, "period": data.period.label if data.period else ""}
    if data.group:
        values["name"] = data.group.name
        return _("Benchmarkranglisten for %(group)s, %(period)s: sammenligningsgruppen %(name)s") % values
    return _("Benchmarkranglisten for %(group)s, %(period)s: alle kommuner") % values


@role_required(Role.ADMINISTRATOR)
def comparison_groups(request):
    return render(request, "plans/comparison_groups.html", {"groups": ComparisonGroup.objects.all()})


@role_required(Role.ADMINISTRATOR)
def comparison_group_edit(request, pk=None):
    group = get_object_or_404(ComparisonGroup, pk=pk) if pk else None
    form = ComparisonGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Sammenligningsgruppen %(name)s er gemt.") % {"name": group.name})
        return redirect("plans:comparison_groups")
    return render(request, "plans/comparison_group_form.html", {"form": form, "group": group})


@require_POST
@role_required(Role.ADMINISTRATOR)
def comparison_group_delete(request, pk):
    group = get_object_or_404(ComparisonGroup, pk=pk)
    if request.POST.get("bekraeft") != "ja":
        return render(request, "plans/comparison_group_delete.html", {"group": group})
    group.delete()
    messages.success(request, _("Sammenligningsgruppen %(name)s er slettet.") % {"name": group.name})
    return redirect("plans:comparison_groups")
