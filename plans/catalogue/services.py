"""The data catalogue (Datakatalog, issue 25): every jobindsats.dk table the portal reads, the goals and pages
that read it, its last import, and when Jobindsats published it and will next publish it.

The tables: those the active mappings of the working plans read (their own and their denominators'), the
tables of full-time persons (plans.core.benefits) and the minister's benchmark (Y30R21). Seven queries,
however many tables, mappings, imports and figures: the plans, the mappings, the tables' metadata, the newest
finished import of each table, and the periods held (figures from imports, full-time persons, benchmark).

Members read where the figures come from and when; administrators also read how sure each route is
(ExtractMapping.confidence and its note) and find the table's last import.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.core.benefits import (
    ALL_BENEFITS_TABLE,
    BUDGET_TABLES,
    FULL_TIME_TABLES,
    INFERRED_TABLES,
    TABLE_SUBJECTS,
    UNEMPLOYMENT_TABLE,
)
from plans.core.models import plan_in_force
from plans.imports.validation import BENCHMARK_TABLE
from plans.models import BenchmarkPeriod, BenefitFigure, DataImport, ExtractMapping, Observation, Plan, TableMetadata
from plans.services.plan_choice import working_plans
from portal.periods import Period, PeriodError, parse_period

NOT_STATED = gettext_lazy("ikke oplyst")
SOURCE_LABELS = dict(DataImport.Source.choices)
KEY_FIGURE_TABLES = frozenset({ALL_BENEFITS_TABLE, UNEMPLOYMENT_TABLE})
# The pages that read tables beside the goals: (url name, label, the tables it reads).
PAGES = (
    ("plans:benchmark", gettext_lazy("Ministerens benchmark"), frozenset({BENCHMARK_TABLE})),
    ("budget:overview", gettext_lazy("Budgetopfølgning"), BUDGET_TABLES),
    ("keyfigures:overview", gettext_lazy("Nøgletal"), KEY_FIGURE_TABLES),
)


@dataclass(frozen=True)
class GoalLink:
    code: str
    title: str
    url: str
    year: int
    in_force: bool  # a goal of the plan in force; another working plan's goal names its year


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str


@dataclass(frozen=True)
class LastImport:
    id: int
    at: datetime | None
    by_api: bool
    source_label: str


@dataclass(frozen=True)
class Certainty:
    """How sure a route is, for administrators: the confidence's label, what it is about, and why."""

    label: str
    subject: str
    text: str


@dataclass
class CatalogueTable:
    table: str
    title: str
    goals: list[GoalLink] = field(default_factory=list)
    pages: list[PageLink] = field(default_factory=list)
    last_import: LastImport | None = None
    latest_period: str = ""  # the label of the newest period the portal holds, else the newest Jobindsats has
    published_on: date | None = None
    next_update: date | None = None
    certainty: list[Certainty] = field(default_factory=list)  # administrators only


@dataclass
class Catalogue:
    tables: list[CatalogueTable]
    in_force: Plan | None
    not_stated: str


def build(today: date, is_admin: bool) -> Catalogue:
    """The catalogue as the reader may see it: members only adopted plans' goals and no certainty."""
    plans = list(Plan.objects.all() if is_admin else Plan.objects.filter(is_adopted=True))
    working = working_plans(plans, today)
    in_force = plan_in_force(plans, today)
    mappings = _mappings([p.id for p in working])
    names = sorted({t for m in mappings for t in _tables_of(m)} | set(FULL_TIME_TABLES) | {BENCHMARK_TABLE})
    metas = {m.table.upper(): m for m in TableMetadata.objects.annotate(key=Upper("table")).filter(key__in=names)}
    imports = _last_imports(names)
    held = _held_periods(imports)
    pages = [(PageLink(str(label), reverse(name)), tables) for name, label, tables in PAGES]
    rows = []
    for table in names:
        meta = metas.get(table)
        reading = [m for m in mappings if table in _tables_of(m)]
        rows.append(
            CatalogueTable(
                table=table,
                title=(meta.title if meta and meta.title else "") or _subject(table),
                goals=_goals(reading, in_force),
                pages=[link for link, tables in pages if table in tables],
                last_import=imports.get(table),
                latest_period=_latest_period(held.get(table), meta),
                published_on=meta.published_on if meta else None,
                next_update=meta.next_update if meta else None,
                certainty=_certainty(table, reading) if is_admin else [],
            )
        )
    return Catalogue(rows, in_force, str(NOT_STATED))


def _subject(table: str) -> str:
    """jobindsats.dk's subject of a full-time table, in the reader's language where it is marked; else the id."""
    subject = TABLE_SUBJECTS.get(table)
    return _(subject) if subject else table


def _mappings(plan_ids: list[int]) -> list[ExtractMapping]:
    return list(
        ExtractMapping.objects.filter(active=True, indicator__goal__plan_id__in=plan_ids)
        .select_related("indicator__goal__plan")
        .order_by("indicator__goal__plan__year", "indicator__goal__major", "indicator__goal__minor", "id")
    )


def _tables_of(mapping: ExtractMapping) -> set[str]:
    return {t.strip().upper() for t in (mapping.table, mapping.denominator_table) if t and t.strip()}


def _goals(mappings: list[ExtractMapping], in_force: Plan | None) -> list[GoalLink]:
    """Each goal once: the plan in force's first, then the other working plans' by year."""
    goals = {}
    for mapping in mappings:
        goal = mapping.indicator.goal
        goals.setdefault(goal.pk, goal)
    ordered = sorted(goals.values(), key=lambda g: (g.plan != in_force, g.plan.year, g.major, g.minor))
    return [
        GoalLink(
            g.code,
            g.title,
            reverse("plans:goal_detail", args=[g.plan.year, g.major, g.minor]),
            g.plan.year,
            g.plan == in_force,
        )
        for g in ordered
    ]


def _last_imports(tables: list[str]) -> dict[str, LastImport]:
    """The newest finished (DONE) import of each table, in one query (a correlated subquery picks it)."""
    done = DataImport.objects.filter(state=DataImport.State.DONE)
    newest = (
        done.filter(table=OuterRef("table"))
        .order_by(F("finished_at").desc(nulls_last=True), "-uploaded_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        done.annotate(key=Upper("table"))
        .filter(key__in=tables, pk=Subquery(newest))
        .order_by()
        .values("pk", "key", "finished_at", "uploaded_at", "source")
    )
    found = {}
    for row in rows:
        at = row["finished_at"] or row["uploaded_at"]
        known = found.get(row["key"])  # tables spelt in two cases: the newer of the two
        if known is None or (at, row["pk"]) > (known.at, known.id):
            by_api = row["source"] == DataImport.Source.API
            label = SOURCE_LABELS.get(row["source"], row["source"])
            found[row["key"]] = LastImport(row["pk"], at, by_api, str(label))
    return found


def _held_periods(imports: dict[str, LastImport]) -> dict[str, Period]:
    """The newest period of each table's last finished import (its figures or full-time persons), and of the
    benchmark's periods.

    Read through the figures' data_import index, so the queries cost the last imports' rows, never the history's.
    """
    table_of = {found.id: table for table, found in imports.items()}
    codes = defaultdict(set)
    for model in (Observation, BenefitFigure):
        for import_id, code in (
            model.objects.filter(data_import_id__in=table_of).order_by().values_list("data_import_id", "period_code")
        ).distinct():
            codes[table_of[import_id]].add(code)
    for code in BenchmarkPeriod.objects.order_by().values_list("code", flat=True):
        codes[BENCHMARK_TABLE].add(code.rpartition("-")[2])  # a demo period is DEMO-<code>
    newest = {}
    for table, found in codes.items():
        periods = [p for p in map(_period, found) if p is not None]
        if periods:
            newest[table] = max(periods, key=lambda p: (p.end, p.start))
    return newest


def _period(code: str) -> Period | None:
    try:
        return parse_period(code)
    except PeriodError:
        return None


def _latest_period(held: Period | None, meta: TableMetadata | None) -> str:
    if held is not None:
        return held.label
    if meta and meta.latest_period:
        found = _period(meta.latest_period)
        return found.label if found else meta.latest_period
    return ""


def _certainty(table: str, mappings: list[ExtractMapping]) -> list[Certainty]:
    """How sure the table's routes are: each mapping's confidence and note, and the full-time tables' own."""
    found = [
        Certainty(
            m.get_confidence_display(),
            _("Mål %(code)s, måling „%(measure)s“") % {"code": m.indicator.goal.code, "measure": _measure(m, table)},
            m.note,
        )
        for m in mappings
    ]
    if table in FULL_TIME_TABLES:
        found += [
            Certainty(
                str(ExtractMapping.Confidence.INFERRED.label),
                _("Tabellen"),
                _(
                    "Udledt af offentlig kode: Jobindsats tæller den nye kontanthjælp (med uddannelseshjælp) fra "
                    "1. juli 2025 i denne tabel."
                ),
            )
            if table in INFERRED_TABLES
            else Certainty(
                str(ExtractMapping.Confidence.CONFIRMED.label),
                _("Tabellen"),
                _(
                    "Bekræftet af en kommunes dokumentation af de jobindsats.dk-tabeller, den indlæser i drift: "
                    "tabellen tæller fuldtidspersoner på ydelsen."
                ),
            ),
            Certainty(
                str(ExtractMapping.Confidence.INFERRED.label),
                _("Totalrækken"),
                _("En dimensions totalrække genkendes ved, at værdien ender på „i alt“ (fx „Køn i alt“)."),
            ),
        ]
    return found


def _measure(mapping: ExtractMapping, table: str) -> str:
    """The column the mapping reads from this table: its own measure, or its denominator's."""
    if mapping.table.strip().upper() == table or not mapping.denominator_measure:
        return mapping.measure
    return mapping.denominator_measure
