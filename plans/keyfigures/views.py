"""The key figures page (members read it) and the administrators' page for the local figures."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from plans.keyfigures import charts, services
from plans.keyfigures.forms import LocalYearForm
from plans.keyfigures.tables import BenchmarkPlaceTable, LocalTable, ShareTable, UnemploymentTable
from portal.roles import Role, has_role, role_required
from portal.tables import EXPORT_FORMATS


@role_required(Role.MEMBER)
def overview(request):
    data = services.build(request.GET.get("gruppe"))
    area = settings.PORTAL_AREA
    tables = {}
    if data.shares:
        tables["andel"] = ShareTable(
            data.shares,
            area=area,
            group=data.group,
            caption=_("Fuldtidspersoner på offentlig forsørgelse i pct. af arbejdsstyrken 16-66 år"),
            prefix="andel-",
        )
    if data.unemployment:
        tables["adagpenge"] = UnemploymentTable(
            data.unemployment,
            area=area,
            caption=_("Andel af landets fuldtidspersoner på a-dagpenge og af landets befolkning 16-66 år: %(area)s")
            % {"area": area},
            prefix="adagpenge-",
        )
    if data.local_years:
        tables["borgere"] = LocalTable(
            data.local_years,
            caption=_("Borgere i kontakt med jobcentret, skoleelever og pensionister"),
            prefix="borgere-",
        )
    wanted = tables.get(request.GET.get("tabel", ""))
    if wanted is not None and request.GET.get("eksport") in EXPORT_FORMATS:
        return wanted.export(request.GET["eksport"], f"noegletal-{request.GET['tabel']}")
    context = {
        "data": data,
        "area": area,
        "tables": tables,
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
        "catalogue_url": _catalogue_url(),
        "is_admin": has_role(request.user, Role.ADMINISTRATOR),
    }
    return render(request, "plans/keyfigures/overview.html", context)


def _catalogue_url() -> str:
    """The data catalogue's page, once it is there (another part of the portal)."""
    try:
        return reverse("catalogue:list")
    except NoReverseMatch:
        return ""


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
