"""The key figures page (Nøgletal): the figures of the committee introduction's key figures, from the data
the portal holds.

- The share of the labour force 16-66 on public support (Jobindsats PTVA02, monthly) for the portal's area,
  a comparison group and the whole country. A group's share is weighted by its municipalities' labour
  force: sum(full-time persons) / sum(full-time persons x 100 / share) x 100, over the municipalities with a
  figure for the period. The country is the "Hele landet" row; where a period has none, it is computed the
  same way from every municipality the period has.
- The portal's area's share of the country's a-dagpenge full-time persons (Y01A02) beside its share of the
  country's population 16-66. An area's population is full-time persons x 100 / their share of the
  population; PTVA02's share is used where the period has it (all benefits: the largest share, so its
  rounding weighs least), else Y01A02's own.
- The local figures administrators enter (LocalKeyFigure), the newest benchmark place, and the tables'
  next updates (TableMetadata).

A fixed number of queries, whatever the data: the comparison groups, the newest month of each table, the
figures of the months shown, the tables' metadata, the local figures and the newest benchmark results;
one more only when some month lacks the "Hele landet" row (the country computed from the municipalities).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, FloatField, Max, Q, Subquery, Sum, When
from django.utils import timezone

from plans.core.areas import MUNICIPALITIES, NATIONAL
from plans.core.benefits import ALL_BENEFITS_TABLE, UNEMPLOYMENT_TABLE
from plans.core.models import TOTAL_GROUP, group_position
from plans.imports.models import TableMetadata
from plans.imports.validation import BENCHMARK_TABLE
from plans.keyfigures.models import LocalKeyFigure
from plans.models import BenchmarkPeriod, BenchmarkResult, BenefitFigure, ComparisonGroup
from portal.periods import MONTH_CODE, Period, add_months, parse_period

TABLES = (ALL_BENEFITS_TABLE, UNEMPLOYMENT_TABLE)
WINDOW_MONTHS = 60  # the page shows the newest five years of months; older months stay in the database
MUNICIPALITY_COUNT = len(MUNICIPALITIES)
HUNDRED = Decimal(100)
# A country computed from fewer municipalities is none: from the portal's own area alone it compares it with itself.
MIN_MUNICIPALITIES = 2


@dataclass(frozen=True)
class Figure:
    """One area's row of a table for one month: full-time persons and their two shares (None where absent)."""

    full_time_persons: Decimal | None
    share_of_labour_force: Decimal | None
    share_of_population: Decimal | None

    @property
    def labour_force(self) -> Decimal | None:
        return _base(self.full_time_persons, self.share_of_labour_force)

    @property
    def population(self) -> Decimal | None:
        return _base(self.full_time_persons, self.share_of_population)


def _base(persons: Decimal | None, share: Decimal | None) -> Decimal | None:
    """The population a share is of: persons x 100 / share (None without a positive share)."""
    if persons is None or not share or share <= 0:
        return None
    return persons * HUNDRED / share


@dataclass(frozen=True)
class Totals:
    """The sums over the municipalities of one table and month (the country where the file had no row for it)."""

    full_time_persons: Decimal | None
    labour_force: Decimal | None
    labour_force_persons: Decimal | None  # the full-time persons of the municipalities with a labour force share
    population: Decimal | None
    municipalities: int  # with a share of the labour force

    @property
    def share_of_labour_force(self) -> Decimal | None:
        if not self.labour_force or self.labour_force_persons is None:
            return None
        return self.labour_force_persons / self.labour_force * HUNDRED


def weighted_share(figures: list[Figure]) -> tuple[Decimal | None, int]:
    """The share of the labour force of several areas together, weighted by each one's labour force, and how
    many areas it counts: sum(full-time persons) / sum(full-time persons x 100 / share) x 100 over the areas
    whose share is known."""
    counted = [f for f in figures if f.labour_force is not None]
    if not counted:
        return None, 0
    labour_force = sum(f.labour_force for f in counted)
    return sum(f.full_time_persons for f in counted) / labour_force * HUNDRED, len(counted)


@dataclass
class ShareRow:
    """One month of the share of the labour force on public support."""

    period: Period
    mine: Decimal | None
    group: Decimal | None = None
    group_count: int = 0  # the group's municipalities with a figure for the month
    national: Decimal | None = None
    national_computed: bool = False  # the file had no "Hele landet" row: computed from the municipalities
    national_count: int = 0  # the municipalities it was computed from


@dataclass
class UnemploymentRow:
    """One month of the portal's area's share of the country's a-dagpenge recipients and of its population."""

    period: Period
    mine: Decimal | None  # full-time persons on a-dagpenge in the portal's area
    national: Decimal | None  # in the whole country
    population_share: Decimal | None
    national_computed: bool = False
    national_count: int = 0

    @property
    def unemployment_share(self) -> Decimal | None:
        if self.mine is None or not self.national:
            return None
        return self.mine / self.national * HUNDRED


@dataclass(frozen=True)
class TableInfo:
    table: str
    next_update: date | None = None
    published_on: date | None = None


# The citizens in contact with the jobcenter first, then what the introduction sets beside them.
LOCAL_KINDS = (LocalKeyFigure.Kind.CONTACT, LocalKeyFigure.Kind.PUPILS, LocalKeyFigure.Kind.PENSIONERS)


@dataclass(frozen=True)
class LocalValue:
    kind: str
    label: str
    figure: LocalKeyFigure | None

    @property
    def value(self) -> int | None:
        return self.figure.value if self.figure else None


@dataclass
class LocalYear:
    year: int
    figures: dict[str, LocalKeyFigure]  # by kind

    @property
    def kinds(self) -> list[LocalValue]:
        return [LocalValue(kind.value, kind.label, self.figures.get(kind.value)) for kind in LOCAL_KINDS]

    @property
    def sources(self) -> list[str]:
        """The year's sources, each once, in the order of the kinds."""
        found = []
        for item in self.kinds:
            if item.figure and item.figure.source not in found:
                found.append(item.figure.source)
        return found


@dataclass
class KeyFigures:
    area: str
    groups: list[ComparisonGroup]
    group: ComparisonGroup | None
    shares: list[ShareRow] = field(default_factory=list)
    unemployment: list[UnemploymentRow] = field(default_factory=list)
    local_years: list[LocalYear] = field(default_factory=list)  # newest first
    benchmark_period: BenchmarkPeriod | None = None
    benchmark_results: list[BenchmarkResult] = field(default_factory=list)
    tables: dict[str, TableInfo] = field(default_factory=dict)

    @property
    def has_jobindsats(self) -> bool:
        return bool(self.shares or self.unemployment)

    @property
    def newest_share(self) -> ShareRow | None:
        return self.shares[-1] if self.shares else None

    @property
    def newest_unemployment(self) -> UnemploymentRow | None:
        return self.unemployment[-1] if self.unemployment else None

    @property
    def national_computed(self) -> list[ShareRow]:
        return [row for row in self.shares if row.national_computed]

    @property
    def unemployment_computed(self) -> list[UnemploymentRow]:
        return [row for row in self.unemployment if row.national_computed]

    @property
    def national_missing(self) -> int:
        """The months shown without any figure for the whole country, in either series."""
        return len({row.period for row in [*self.shares, *self.unemployment] if row.national is None})

    @property
    def group_size(self) -> int:
        return len(group_members(self.group)) if self.group else 0

    @property
    def local_newest(self) -> LocalYear | None:
        return self.local_years[0] if self.local_years else None

    @property
    def local_earlier(self) -> list[LocalYear]:
        return self.local_years[1:]

    @property
    def benchmark_headline(self) -> BenchmarkResult | None:
        return next((r for r in self.benchmark_results if r.benefit_group == TOTAL_GROUP), None)

    @property
    def benchmark_of(self) -> int:
        return MUNICIPALITY_COUNT

    def table(self, name: str) -> TableInfo:
        return self.tables.get(name) or TableInfo(name)


def group_members(group: ComparisonGroup) -> set[str]:
    """The municipalities a group's share counts: its areas, never the portal's own (it is compared with them)."""
    return set(group.areas) - {settings.PORTAL_AREA, NATIONAL}


def build(group_id: str | None = None) -> KeyFigures:
    groups = list(ComparisonGroup.objects.all())
    group = next((g for g in groups if str(g.pk) == str(group_id)), groups[0] if groups else None)
    data = KeyFigures(settings.PORTAL_AREA, groups, group)
    data.shares, data.unemployment = _series(group)
    data.tables = {
        meta.table: TableInfo(meta.table, meta.next_update, meta.published_on)
        for meta in TableMetadata.objects.filter(table__in=[*TABLES, BENCHMARK_TABLE])
    }
    data.local_years = local_years()
    data.benchmark_results = _benchmark()
    data.benchmark_period = data.benchmark_results[0].period if data.benchmark_results else None
    return data


def local_years() -> list[LocalYear]:
    """The local figures by year, newest first (one query)."""
    years: dict[int, dict[str, LocalKeyFigure]] = defaultdict(dict)
    for figure in LocalKeyFigure.objects.order_by("-year", "kind"):
        years[figure.year][figure.kind] = figure
    return [LocalYear(year, figures) for year, figures in sorted(years.items(), reverse=True)]


def _benchmark() -> list[BenchmarkResult]:
    """The newest benchmark period's results (the benchmark page's default period), in the minister's order."""
    newest = BenchmarkPeriod.objects.order_by("-code").values("pk")[:1]
    results = BenchmarkResult.objects.filter(period=Subquery(newest)).select_related("period")
    return sorted(results, key=lambda r: (group_position(r.benefit_group), r.benefit_group))


def _cutoffs() -> dict[str, date]:
    """The first month each table shows: the newest five years of the portal's area (one query, on the figures'
    unique key, so it reads the area's months, not every municipality's)."""
    newest = dict(
        BenefitFigure.objects.filter(table__in=TABLES, area=settings.PORTAL_AREA, period_code__regex=MONTH_CODE)
        .values("table")
        .annotate(newest=Max("period_start"))
        .values_list("table", "newest")
    )
    return {table: add_months(start, 1 - WINDOW_MONTHS) for table, start in newest.items()}


def _series(group: ComparisonGroup | None) -> tuple[list[ShareRow], list[UnemploymentRow]]:
    cutoffs = _cutoffs()
    if not cutoffs:
        return [], []
    area = settings.PORTAL_AREA
    members = group_members(group) if group else set()
    wanted = Q()
    if ALL_BENEFITS_TABLE in cutoffs:
        wanted |= Q(
            table=ALL_BENEFITS_TABLE,
            period_start__gte=cutoffs[ALL_BENEFITS_TABLE],
            area__in=[area, NATIONAL, *sorted(members)],
        )
    if UNEMPLOYMENT_TABLE in cutoffs:
        wanted |= Q(table=UNEMPLOYMENT_TABLE, period_start__gte=cutoffs[UNEMPLOYMENT_TABLE], area__in=[area, NATIONAL])
    # {table: {period code: {area: Figure}}}
    figures: dict[str, dict[str, dict[str, Figure]]] = {table: defaultdict(dict) for table in TABLES}
    for table, name, code, persons, labour, population in (
        BenefitFigure.objects.filter(wanted, period_code__regex=MONTH_CODE)
        .order_by()
        .values_list(
            "table", "area", "period_code", "full_time_persons", "share_of_labour_force", "share_of_population"
        )
    ):
        figures[table][code][name] = Figure(persons, labour, population)
    totals = _totals(figures)
    shares = _shares(figures[ALL_BENEFITS_TABLE], totals, members)
    return shares, _unemployment(figures, totals)


def _totals(figures: dict[str, dict[str, dict[str, Figure]]]) -> dict[tuple[str, str], Totals]:
    """The municipalities' sums for the months whose "Hele landet" row is missing (one query, none if no month
    lacks it)."""
    missing = {
        table: sorted(code for code, areas in months.items() if NATIONAL not in areas)
        for table, months in figures.items()
    }
    wanted = Q()
    for table, codes in missing.items():
        if codes:
            wanted |= Q(table=table, period_code__in=codes)
    if not wanted:
        return {}
    persons = F("full_time_persons")
    rows = (
        BenefitFigure.objects.filter(wanted, area__in=MUNICIPALITIES)
        .values("table", "period_code")
        .annotate(
            persons=Sum("full_time_persons"),
            labour=Sum(
                Case(
                    When(share_of_labour_force__gt=0, then=persons * 100.0 / F("share_of_labour_force")),
                    output_field=FloatField(),
                )
            ),
            labour_persons=Sum(Case(When(share_of_labour_force__gt=0, then=persons))),
            population=Sum(
                Case(
                    When(share_of_population__gt=0, then=persons * 100.0 / F("share_of_population")),
                    output_field=FloatField(),
                )
            ),
            counted=Count("id", filter=Q(share_of_labour_force__gt=0)),
            municipalities=Count("id"),
        )
        .order_by()
    )
    return {
        (row["table"], row["period_code"]): Totals(
            _decimal(row["persons"]),
            _decimal(row["labour"]),
            _decimal(row["labour_persons"]),
            _decimal(row["population"]),
            _counted(row),
        )
        for row in rows
        if _counted(row) >= MIN_MUNICIPALITIES
    }


def _counted(row: dict) -> int:
    """The municipalities a computed country counts: with a share of the labour force (PTVA02), or with
    full-time persons (a-dagpenge)."""
    return row["counted"] if row["table"] == ALL_BENEFITS_TABLE else row["municipalities"]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _shares(months: dict[str, dict[str, Figure]], totals: dict, members: set[str]) -> list[ShareRow]:
    rows = []
    for code, areas in months.items():
        mine = areas.get(settings.PORTAL_AREA)
        row = ShareRow(parse_period(code), mine.share_of_labour_force if mine else None)
        row.group, row.group_count = weighted_share([areas[name] for name in members if name in areas])
        national = areas.get(NATIONAL)
        if national is not None:
            row.national = national.share_of_labour_force
        elif (ALL_BENEFITS_TABLE, code) in totals:
            computed = totals[ALL_BENEFITS_TABLE, code]
            row.national, row.national_computed = computed.share_of_labour_force, True
            row.national_count = computed.municipalities
        rows.append(row)
    return sorted(rows, key=lambda r: r.period.start)


def _population_share(code: str, figures: dict, totals: dict) -> Decimal | None:
    """The portal's area's share of the country's population 16-66 in a month, both from the same table: PTVA02
    where it has the month (its share is the largest, so its rounding weighs least), else Y01A02."""
    for table in TABLES:
        areas = figures[table].get(code, {})
        own = areas[settings.PORTAL_AREA].population if settings.PORTAL_AREA in areas else None
        if NATIONAL in areas:
            country = areas[NATIONAL].population
        else:
            country = totals[table, code].population if (table, code) in totals else None
        if own is not None and country:
            return own / country * HUNDRED
    return None


def _unemployment(figures: dict, totals: dict) -> list[UnemploymentRow]:
    rows = []
    for code, areas in figures[UNEMPLOYMENT_TABLE].items():
        mine = areas.get(settings.PORTAL_AREA)
        national = areas.get(NATIONAL)
        row = UnemploymentRow(
            parse_period(code),
            mine.full_time_persons if mine else None,
            national.full_time_persons if national else None,
            None,
        )
        if national is None and (UNEMPLOYMENT_TABLE, code) in totals:
            computed = totals[UNEMPLOYMENT_TABLE, code]
            row.national, row.national_computed = computed.full_time_persons, True
            row.national_count = computed.municipalities
        row.population_share = _population_share(code, figures, totals)
        rows.append(row)
    return sorted(rows, key=lambda r: r.period.start)


def local_initial(year: int | None) -> dict:
    """The form's starting values: the year's figures where it has some; the newest year's sources otherwise."""
    years = local_years()
    chosen = next((y for y in years if y.year == year), None)
    template = chosen or (years[0] if years else None)
    this_year = timezone.localdate().year
    initial = {"year": year or (min(years[0].year + 1, this_year) if years else this_year)}
    if template is not None:
        for item in template.kinds:
            if item.figure is not None:
                initial[f"{item.kind}_source"] = item.figure.source
                if chosen is not None:
                    initial[item.kind] = item.figure.value
    return initial


@transaction.atomic
def save_year(year: int, values: dict[str, tuple[int, str]], user) -> int:
    """Store a year's local figures: {kind: (value, source)}. A row that changes records who entered it (and,
    through its history, when and what it was); one already as given is left alone. Returns the rows written."""
    existing = {f.kind: f for f in LocalKeyFigure.objects.select_for_update().filter(year=year)}
    written = 0
    for kind, (value, source) in values.items():
        figure = existing.get(kind) or LocalKeyFigure(kind=kind, year=year)
        if figure.pk and (figure.value, figure.source) == (value, source):
            continue
        figure.value, figure.source, figure.entered_by = value, source, user
        figure.full_clean()
        figure.save()
        written += 1
    return written
