"""What the fair pages show: the series with its figures and chart, one fair's numbers, a fair's lists.

Data only; the templates and tables label it.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from events.fairs.models import Association, CitizenSignup, Fair, FairSeries
from events.fairs.services import charts, figures

# Rows per list on the sign-up page unless all are asked for: a long waiting list must not make every
# registration's page slower (its cost is about 0.3 ms a row).
SIGNUP_LIST_ROWS = 25


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


@dataclass
class SignupList:
    rows: list[CitizenSignup]
    total: int  # the whole list's length, shown or not

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)


def signups_by_status(fair: Fair, show_all: bool = False) -> dict[str, SignupList]:
    """The fair's sign-ups in three lists, in the order they came, each with its length; unless `show_all`,
    a list stops after SIGNUP_LIST_ROWS rows (two queries)."""
    key = {CitizenSignup.Status.CONFIRMED: "confirmed", CitizenSignup.Status.WAITING: "waiting"}
    totals = {"confirmed": 0, "waiting": 0, "cancelled": 0}
    for status, count in fair.signups.order_by().values_list("status").annotate(count=Count("id")):
        totals[key.get(status, "cancelled")] += count
    signups = fair.signups.select_related("registered_by")
    if not show_all:
        place = Window(RowNumber(), partition_by=F("status"), order_by=[F("registered_at"), F("id")])
        signups = signups.annotate(place=place).filter(place__lte=SIGNUP_LIST_ROWS)
    lists = {name: SignupList([], total) for name, total in totals.items()}
    for signup in signups:
        lists[key.get(signup.status, "cancelled")].rows.append(signup)
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
