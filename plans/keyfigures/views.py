"""The key figures page (members read it) and the administrators' page for the local figures."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from plans.keyfigures import charts, services
from plans.keyfigures.forms import LocalYearForm
from plans.keyfigures.tables import BenchmarkPlaceTable, LocalTable, ShareTable, UnemploymentTable
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS

RECENT_MONTHS = 12  # the table beside a chart shows the newest year's months; the older ones fold out below it


@role_required(Role.MEMBER)
def overview(request):
    data = services.build(request.GET.get("gruppe"))
    area = settings.PORTAL_AREA
    series = {}  # name -> (its rows, oldest first; a table of some of them)
    if data.shares:
        series["andel"] = (
            data.shares,
            lambda rows, **kw: ShareTable(
                rows,
                area=area,
                group=data.group,
                caption=_("Fuldtidspersoner på offentlig forsørgelse i pct. af arbejdsstyrken 16-66 år"),
                **kw,
            ),
        )
    if data.unemployment:
        series["adagpenge"] = (
            data.unemployment,
            lambda rows, **kw: UnemploymentTable(
                rows,
                area=area,
                caption=_("Andel af landets fuldtidspersoner på a-dagpenge og af landets befolkning 16-66 år: %(area)s")
                % {"area": area},
                **kw,
            ),
        )
    if data.local_years:
        series["borgere"] = (
            data.local_years,
            lambda rows, **kw: LocalTable(
                rows, caption=_("Borgere i kontakt med jobcentret, skoleelever og pensionister"), **kw
            ),
        )
    name = request.GET.get("tabel", "")
    if name in series and request.GET.get("eksport") in EXPORT_FORMATS:
        rows, make = series[name]
        return make(rows).export(request.GET["eksport"], f"noegletal-{name}")
    tables, older = {}, {}
    for name, (rows, make) in series.items():
        if name == "borgere":
            tables[name] = make(rows, prefix=f"{name}-")
            continue
        tables[name] = make(rows[-RECENT_MONTHS:], prefix=f"{name}-")
        if len(rows) > RECENT_MONTHS:
            older[name] = make(rows[:-RECENT_MONTHS], prefix=f"{name}-aeldre-")
            older[name].caption = _("%(caption)s: ældre måneder") % {"caption": tables[name].caption}
    context = {
        "data": data,
        "area": area,
        "tables": tables,
        "older": older,
        "benchmark_table": BenchmarkPlaceTable(
            data.benchmark_results,
            of=data.benchmark_of,
            caption=_("Placering på beskæftigelsesministerens benchmark, %(period)s")
            % {"period": data.benchmark_period.shown_label},
            prefix="benchmark-",
        )
        if data.benchmark_results
        else None,
        "share_figure": charts.share_figure(data) if data.shares else None,
        "unemployment_figure": charts.unemployment_figure(data) if data.unemployment else None,
        "local_figure": charts.local_figure(data.local_newest) if data.local_newest else None,
        "infos": {name: data.table(name) for name in (*services.TABLES, services.BENCHMARK_TABLE)},
        "is_admin": has_role(request.user, Role.ADMINISTRATOR),
    }
    return render(request, "plans/keyfigures/overview.html", context)


@role_required(Role.ADMINISTRATOR)
def local_edit(request):
    if request.method == "POST":
        form = LocalYearForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            written = services.save_year(year, form.values(), request.user)
            if written:
                messages.success(request, _("Nøgletallene for %(year)d er gemt.") % {"year": year})
            else:
                messages.info(request, _("Nøgletallene for %(year)d var allerede som angivet.") % {"year": year})
            return redirect("keyfigures:overview")
    else:
        year = request.GET.get("aar", "")
        form = LocalYearForm(initial=services.local_initial(int(year) if year.isdigit() else None))
    return render(request, "plans/keyfigures/local_edit.html", {"form": form, "years": services.local_years()})
