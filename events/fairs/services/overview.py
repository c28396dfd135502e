"""What the fair pages show: the series with its figures and chart, one fair's numbers, a fair's lists.

Data only; the templates and tables label it.
"""

from events.fairs.models import Association, CitizenSignup, Fair, FairSeries
from events.fairs.services import charts, figures


def current_series() -> FairSeries | None:
    return FairSeries.objects.prefetch_related("fairs", "programme").first()


def series_overview() -> dict:
    """The series, its figures per fair and the sign-ups chart; all None without a series."""
    series = current_series()
    if series is None:
        return {"series": None, "figures": None, "figure": None}
    numbers = figures.for_series(series)
    chart = charts.signups_figure(numbers, series.citizens_expected_min, series.citizens_expected_max)
    return {"series": series, "figures": numbers, "figure": chart}


def fair_overview(fair: Fair) -> dict:
    """One fair's figures, its series' programme and the confirmed sign-ups per benefit group."""
    numbers = next(f for f in figures.for_series(fair.series) if f.fair.pk == fair.pk)
    return {
        "fair": fair,
        "programme": fair.series.programme.all(),
        "numbers": numbers,
        "benefit_groups": [(label, numbers.by_group[value]) for value, label in CitizenSignup.BenefitGroup.choices],
    }


def signups_by_status(fair: Fair) -> dict[str, list[CitizenSignup]]:
    """The fair's sign-ups in three lists, in the order they came (one query)."""
    lists = {"confirmed": [], "waiting": [], "cancelled": []}
    key = {CitizenSignup.Status.CONFIRMED: "confirmed", CitizenSignup.Status.WAITING: "waiting"}
    for signup in fair.signups.select_related("registered_by"):
        lists[key.get(signup.status, "cancelled")].append(signup)
    return lists


def participants(fair: Fair):
    return fair.signups.filter(status=CitizenSignup.Status.CONFIRMED).order_by("name")


def exhibitors(fair: Fair):
    return fair.associations.filter(status=Association.Status.REGISTERED).order_by("name")


def associations(series: FairSeries) -> dict:
    return {
        "series": series,
        "associations": series.associations.prefetch_related("fairs"),
        "figures": figures.for_series(series),
    }
