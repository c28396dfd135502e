"""The minister's benchmark page, and the comparison groups that administrators keep for it."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.forms import ComparisonGroupForm
from plans.models import ComparisonGroup
from plans.services import benchmark as service
from plans.tables import BenchmarkRankingTable, BenchmarkTable
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS


@role_required(Role.MEMBER)
def benchmark(request):
    data = service.build(request.GET.get("periode"), request.GET.get("ydelse"), request.GET.get("gruppe"))
    context = {
        "periods": data.periods,
        "period": data.period,
        "data": data,
        "area": settings.PORTAL_AREA,
        "is_admin": has_role(request.user, Role.ADMINISTRATOR),
    }
    if data.period is None:  # nothing imported yet: the page says so
        return render(request, "plans/benchmark.html", context)
    caption = _("Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse, %(period)s") % {
        "period": data.period.shown_label
    }
    table = BenchmarkTable(data.rows, caption=caption)
    ranking = BenchmarkRankingTable(
        data.ranking_rows, caption=_ranking_caption(data), in_group=data.group is not None, prefix="rangliste-"
    )  # its own prefix: its own anchor (id) beside the first table's
    if request.GET.get("eksport") in EXPORT_FORMATS:
        wanted = request.GET.get("tabel") == "rangliste"
        return (ranking if wanted else table).export(request.GET["eksport"], data.export_name(ranking=wanted))
    context.update(results=data.results, table=table, ranking=ranking, figure=data.figure)
    return render(request, "plans/benchmark.html", context)


def _ranking_caption(data: service.Benchmark) -> str:
    values = {"group": data.benefit_group, "period": data.period.shown_label}
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
