"""The budget follow-up (docs/budget.md): full-time persons per benefit group against the budget.

For a year and a follow-up (april, juni, september, november) each group gets its monthly full-time
persons of the year and the two before it (plans.core.benefits: the sum of the group's Jobindsats
tables), the year-to-date average against the budgeted persons, a year-end estimate that follows the
season, and, when the budget in kr is entered, the expected over- or under-spend in kr.

A follow-up in month F reads the months of the year before F (juni: January to May), so it reads the
same later, when more months have been imported. Without a follow-up every month of the year with
figures counts.

The arithmetic is in pure functions (monthly_totals, estimate_year, average, spend); build() reads
everything in three queries whatever the data: the years with figures, the figures of the three
years, and the budgets.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from plans.core.benefits import BUDGET_GROUPS, BUDGET_TABLES, BudgetGroup
from plans.models import BenefitBudget, BenefitFigure
from portal.charts import COLOURS, Unit, figure, floats
from portal.periods import MONTH_CODE
from portal.templatetags.portal_format import tal

# The committee's four follow-ups: the key in the address and the month of the meeting.
FOLLOW_UPS = {"april": 4, "juni": 6, "september": 9, "november": 11}
MONTH_COUNT = 12
SEASON, AVERAGE = "season", "average"  # the estimate's method (estimate_year)
MILLION = Decimal(1_000_000)


# --- the arithmetic ------------------------------------------------------------------------------------------


def monthly_totals(figures: dict[tuple[str, int], Decimal], tables: Sequence[Sequence[str]]) -> list[Decimal | None]:
    """The 12 months' full-time persons of a group: the sum of each month's tables' figures ({(table, month):
    value}); `tables` holds the 12 months' tables (month_tables, BudgetGroup.tables_on). A month is missing
    (None) when one of its tables lacks it."""
    totals = []
    for month in range(1, MONTH_COUNT + 1):
        values = [figures.get((table, month)) for table in tables[month - 1]]
        totals.append(None if any(v is None for v in values) else sum(values, Decimal(0)))
    return totals


def known_months(values: Sequence[Decimal | None], cutoff: int) -> list[int]:
    """The month numbers (1-12) up to and including `cutoff` that have a figure."""
    return [month for month in range(1, cutoff + 1) if values[month - 1] is not None]


def average(values: Iterable[Decimal | None]) -> Decimal | None:
    found = [v for v in values if v is not None]
    return sum(found, Decimal(0)) / len(found) if found else None


def estimate_year(
    this_year: Sequence[Decimal | None], last_year: Sequence[Decimal | None], cutoff: int
) -> tuple[list[Decimal | None], str | None]:
    """The 12 months of the year: the known ones (up to `cutoff`) as they are, the others estimated.

    A month without a figure is estimated as the same month last year times (the sum of this year's known
    months / the sum of the same months last year), so the estimate follows the season. When last year lacks
    any month needed for that (a known month or one to estimate), or its sum is 0, every estimated month is
    the average of this year's known months. Returns the months and the method (SEASON, AVERAGE; None
    without a known month, and then nothing is estimated).
    """
    known = known_months(this_year, cutoff)
    if not known:
        return [None] * MONTH_COUNT, None
    values = [this_year[m - 1] if m in known else None for m in range(1, MONTH_COUNT + 1)]
    missing = [m for m in range(1, MONTH_COUNT + 1) if m not in known]
    if not missing:
        return values, None
    last_known_sum = sum((last_year[m - 1] or Decimal(0)) for m in known)
    season = all(last_year[m - 1] is not None for m in known + missing) and last_known_sum > 0
    if season:
        factor = sum((this_year[m - 1] for m in known), Decimal(0)) / last_known_sum
        for m in missing:
            values[m - 1] = last_year[m - 1] * factor
        return values, SEASON
    mean = average(this_year[m - 1] for m in known)
    for m in missing:
        values[m - 1] = mean
    return values, AVERAGE


def difference_percent(value: Decimal | None, budget: Decimal | None) -> Decimal | None:
    if value is None or not budget:
        return None
    return (value - budget) / budget * 100


def spend(estimate: Decimal | None, budget_persons: Decimal | None, amount: Decimal | None) -> Decimal | None:
    """The expected over-spend (positive) or under-spend (negative) in kr: (estimate - budgeted persons) x the
    budget's cost per person (amount / budgeted persons). None without an estimate or a budget in kr."""
    if estimate is None or not budget_persons or amount is None:
        return None
    return (estimate - budget_persons) * (amount / budget_persons)


def spend_text(amount: Decimal | None) -> str:
    """ "forventet merforbrug ca. 2,1 mio. kr." / "forventet mindreforbrug ca. 450.000 kr."."""
    if amount is None:
        return ""
    size = abs(amount)
    if size >= MILLION:
        shown = _("%(amount)s mio. kr.") % {"amount": tal(size / MILLION, 1)}
    else:
        shown = _("%(amount)s kr.") % {"amount": tal((size / 1000).quantize(Decimal(1), ROUND_HALF_UP) * 1000, 0)}
    if amount > 0:
        return _("forventet merforbrug ca. %(amount)s") % {"amount": shown}
    if amount < 0:
        return _("forventet mindreforbrug ca. %(amount)s") % {"amount": shown}
    return _("forventet forbrug som budgetteret")


# --- follow-ups ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    key: str  # "juni"
    month: int  # 6: reads January to May

    @property
    def name(self) -> str:
        return str(MONTHS[self.month])

    @property
    def label(self) -> str:
        return _("Budgetopfølgning %(month)s") % {"month": self.name}

    @property
    def cutoff(self) -> int:
        return self.month - 1


def follow_ups() -> list[FollowUp]:
    return [FollowUp(key, month) for key, month in FOLLOW_UPS.items()]


def follow_up(key: str | None) -> FollowUp | None:
    return FollowUp(key, FOLLOW_UPS[key]) if key in FOLLOW_UPS else None


def default_follow_up(today: date) -> FollowUp | None:
    """The newest follow-up at or before today in today's year (None before April)."""
    passed = [f for f in follow_ups() if f.month <= today.month]
    return passed[-1] if passed else None


def short_month_names() -> list[str]:
    """Danish "jan." (months are written in lower case), English "Jan"."""
    english = translation.get_language() == "en"
    return [capfirst(str(MONTHS_3[m])) if english else f"{MONTHS_3[m]}." for m in range(1, MONTH_COUNT + 1)]


# --- the page's data ------------------------------------------------------------------------------------------


@dataclass
class MonthRow:
    name: str
    values: list[Decimal | None]  # the year, last year, the year before
    estimate: Decimal | None  # only for an estimated month of the year
    budget: Decimal | None


@dataclass
class GroupFollowUp:
    group: BudgetGroup
    year: int
    years: dict[int, list[Decimal | None]]  # year -> 12 months
    budget: BenefitBudget | None
    cutoff: int
    known: list[int] = field(default_factory=list)
    months: list[Decimal | None] = field(default_factory=list)  # the year's 12: known and estimated
    method: str | None = None
    year_to_date: Decimal | None = None
    year_end: Decimal | None = None
    expected_spend: Decimal | None = None

    @property
    def has_figures(self) -> bool:
        return any(v is not None for values in self.years.values() for v in values)

    @property
    def budget_persons(self) -> Decimal | None:
        return self.budget.full_time_persons if self.budget else None

    @property
    def difference(self) -> Decimal | None:
        if self.year_to_date is None or self.budget_persons is None:
            return None
        return self.year_to_date - self.budget_persons

    @property
    def difference_percent(self) -> Decimal | None:
        return difference_percent(self.year_to_date, self.budget_persons)

    @property
    def spend_text(self) -> str:
        return spend_text(self.expected_spend)

    @property
    def spend_sentence(self) -> str:
        """The spend text as the end of a sentence: ", forventet merforbrug ca. 2,1 mio. kr." or "."."""
        text = self.spend_text
        if not text:
            return "."
        return f", {text}" if text.endswith(".") else f", {text}."

    @property
    def tables_text(self) -> str:
        """The Jobindsats tables that feed the group, by their codes: "Y36A02 + Y38A02; fra 1. juli 2025: Y60A02"."""
        return tables_text(self.group)

    @property
    def last_known(self) -> int | None:
        return self.known[-1] if self.known else None

    @property
    def last_known_name(self) -> str:
        return str(MONTHS[self.last_known]) if self.last_known else ""

    @property
    def estimated(self) -> list[int]:
        return [m for m in range(1, MONTH_COUNT + 1) if m not in self.known] if self.method else []

    def rows(self) -> list[MonthRow]:
        names = short_month_names()
        estimated = set(self.estimated)
        return [
            MonthRow(
                names[m - 1],
                [self.years[y][m - 1] for y in (self.year, self.year - 1, self.year - 2)],
                self.months[m - 1] if m in estimated else None,
                self.budget_persons,
            )
            for m in range(1, MONTH_COUNT + 1)
        ]

    def chart(self) -> dict:
        return group_figure(self)


def tables_text(group: BudgetGroup) -> str:
    parts = [" + ".join(group.tables)]
    for start, tables in group.eras:
        parts.append(_("fra %(date)s: %(tables)s") % {"date": date_format(start), "tables": " + ".join(tables)})
    return "; ".join(parts)


def month_tables(group: BudgetGroup, year: int) -> list[tuple[str, ...]]:
    return [group.tables_on(date(year, m, 1)) for m in range(1, MONTH_COUNT + 1)]


def _group(group: BudgetGroup, year: int, cutoff: int, figures: dict, budget: BenefitBudget | None) -> GroupFollowUp:
    years = {y: monthly_totals(figures.get(y, {}), month_tables(group, y)) for y in (year, year - 1, year - 2)}
    # A follow-up shows the year as it stood: the months after its cut-off are estimates, never later figures.
    years[year] = [value if month <= cutoff else None for month, value in enumerate(years[year], start=1)]
    item = GroupFollowUp(group, year, years, budget, cutoff)
    item.known = known_months(years[year], cutoff)
    item.months, item.method = estimate_year(years[year], years[year - 1], cutoff)
    item.year_to_date = average(years[year][m - 1] for m in item.known)
    item.year_end = average(item.months) if item.known else None
    if budget is not None:
        item.expected_spend = spend(item.year_end, budget.full_time_persons, budget.amount)
    return item


@dataclass
class BudgetFollowUp:
    year: int
    follow_up: FollowUp | None
    years: list[int]  # years with figures or budgets, newest first
    groups: list[GroupFollowUp]
    area: str

    @property
    def cutoff(self) -> int:
        return self.follow_up.cutoff if self.follow_up else MONTH_COUNT

    @property
    def title(self) -> str:
        if self.follow_up:
            return _("Budgetopfølgning %(month)s %(year)s") % {"month": self.follow_up.name, "year": self.year}
        return _("Budgetopfølgning %(year)s") % {"year": self.year}

    @property
    def period_text(self) -> str:
        """Which months of the year the follow-up reads."""
        if self.follow_up is None:
            return _("Alle årets måneder med tal.")
        if self.cutoff == 1:
            return _("Januar %(year)s.") % {"year": self.year}
        return _("januar til og med %(month)s %(year)s.") % {"month": MONTHS[self.cutoff], "year": self.year}

    @property
    def has_budgets(self) -> bool:
        return any(g.budget for g in self.groups)

    def export_name(self) -> str:
        return f"budgetopfoelgning-{self.year}" + (f"-{self.follow_up.key}" if self.follow_up else "")

    def export_headers(self) -> list[str]:
        return [
            _("Ydelsesgruppe"),
            _("Tabeller"),
            _("År"),
            _("Måned"),
            _("Periode"),
            _("Fuldtidspersoner"),
            _("Skønnede fuldtidspersoner"),
            _("Budgetterede fuldtidspersoner"),
        ]

    def export_rows(self) -> list[list]:
        """One row per group and month of the three years (the chart's and tables' figures)."""
        rows = []
        for item in self.groups:
            estimated = set(item.estimated)
            for y in (self.year - 2, self.year - 1, self.year):
                tables = month_tables(item.group, y)
                for m in range(1, MONTH_COUNT + 1):
                    this = y == self.year
                    rows.append(
                        [
                            str(item.group.label),
                            " + ".join(tables[m - 1]),
                            y,
                            m,
                            f"{y}M{m:02d}",
                            item.years[y][m - 1],
                            _rounded(item.months[m - 1]) if this and m in estimated else None,
                            item.budget_persons if this else None,
                        ]
                    )
        return rows


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def figures_by_year(year: int, area: str) -> dict[int, dict[tuple[str, int], Decimal]]:
    """{year: {(table, month): full-time persons}} of the year and the two before it: one query."""
    found: dict[int, dict[tuple[str, int], Decimal]] = {}
    rows = BenefitFigure.objects.filter(
        area=area,
        table__in=BUDGET_TABLES,
        period_code__regex=MONTH_CODE,
        period_start__gte=date(year - 2, 1, 1),
        period_start__lte=date(year, 12, 31),
    ).values_list("table", "period_start", "full_time_persons")
    for table, start, value in rows:
        found.setdefault(start.year, {})[(table, start.month)] = value
    return found


def figure_years(area: str) -> set[int]:
    """The years with figures of any group's table: one query."""
    return {
        d.year for d in BenefitFigure.objects.filter(area=area, table__in=BUDGET_TABLES).dates("period_start", "year")
    }


def build(year: int, follow: FollowUp | None, area: str | None = None) -> BudgetFollowUp:
    """The follow-up of `year`: three queries (the years with figures, the figures, every budget)."""
    area = area or settings.PORTAL_AREA
    budgets = list(BenefitBudget.objects.all())  # a few rows a year: all of them give the years with budgets
    years = sorted(figure_years(area) | {b.year for b in budgets} | {year}, reverse=True)
    this_year = {b.group: b for b in budgets if b.year == year}
    figures = figures_by_year(year, area)
    cutoff = follow.cutoff if follow else MONTH_COUNT
    groups = [_group(group, year, cutoff, figures, this_year.get(group.key)) for group in BUDGET_GROUPS]
    return BudgetFollowUp(year, follow, years, groups, area)


def group_figure(item: GroupFollowUp) -> dict:
    """The group's chart: the year solid, the two before lighter, the estimate dotted, the budget dashed."""
    x = short_month_names()
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": floats(item.years[item.year - 2]),
            "name": str(item.year - 2),
            "mode": "lines",
            "line": {"color": "#a9bfcf", "width": 2},
        },
        {
            "type": "scatter",
            "x": x,
            "y": floats(item.years[item.year - 1]),
            "name": str(item.year - 1),
            "mode": "lines",
            "line": {"color": "#6b93ad", "width": 2},
        },
        {
            "type": "scatter",
            "x": x,
            "y": floats(item.years[item.year]),
            "name": str(item.year),
            "mode": "lines+markers",
            "line": {"color": COLOURS["value"], "width": 3},
            "marker": {"size": 7},
        },
    ]
    if item.estimated:
        start = item.last_known or 1
        shown = [item.months[m - 1] if m >= start else None for m in range(1, MONTH_COUNT + 1)]
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": floats(shown),
                "name": _("Skøn %(year)s") % {"year": item.year},
                "mode": "lines",
                "line": {"color": COLOURS["value"], "width": 2, "dash": "dot"},
            }
        )
    if item.budget_persons is not None:
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": [float(item.budget_persons)] * MONTH_COUNT,
                "name": _("Budget %(year)s") % {"year": item.year},
                "mode": "lines",
                "line": {"color": COLOURS["target"], "width": 2, "dash": "dash"},
            }
        )
    return figure(traces, Unit(_("Fuldtidspersoner"), 1), filename=f"budget-{item.group.key}-{item.year}")


# --- budgets --------------------------------------------------------------------------------------------------


def budgets_of(year: int) -> dict[str, BenefitBudget]:
    return {b.group: b for b in BenefitBudget.objects.filter(year=year)}


def save_budgets(year: int, rows: dict[str, dict | None], user) -> None:
    """Store the year's budgets in one transaction: a row's values, or None (an empty row) to remove it."""
    existing = budgets_of(year)
    with transaction.atomic():
        for key, values in rows.items():
            budget = existing.get(key)
            if values is None:
                if budget is not None:
                    budget.delete()
                continue
            budget = budget or BenefitBudget(group=key, year=year)
            budget.full_time_persons = values["full_time_persons"]
            budget.amount = values.get("amount")
            budget.note = values.get("note") or ""
            budget.updated_by = user
            budget.full_clean()
            budget.save()
