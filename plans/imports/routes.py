"""Where each indicator's figures come from: its data route, the last import that touched it, and
when new figures are expected. Read by the goal page (plans.views.goal_detail)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plans.core.models import FREQUENCY_MONTHS, Goal, Indicator, Observation
from plans.evaluation import PUBLICATION_LAG_MONTHS, Point
from plans.imports.models import ExtractMapping, TableMetadata
from plans.services import lineage
from portal.periods import add_months, months_between

JOBINDSATS, LOCAL, NONE = "jobindsats", "lokal", "ingen"


@dataclass(frozen=True)
class LastImport:
    id: int
    name: str
    at: datetime | None  # when it finished (or was uploaded, if it never finished)


@dataclass(frozen=True)
class FigureSource:
    """Where an indicator's figures come from (its data route) and when new ones are expected.

    Not plans.imports.validation.Route, which takes a mapping through an import."""

    kind: str  # JOBINDSATS, LOCAL or NONE
    goal_code: str
    mappings: tuple[ExtractMapping, ...] = ()  # the active mappings, for JOBINDSATS
    deliverer: str = ""  # who delivers local figures (the goal's source), for LOCAL
    source: str = ""  # the goal's source (Goal.Source)
    instruction: str = ""  # how a local figure is computed (Indicator.local_instruction), for LOCAL
    last_import: LastImport | None = None  # None: no figures, or they were typed by hand
    newest_end: date | None = None  # the end of the newest period with a figure
    expected: date | None = None  # about when the next figures should be there
    announced: bool = False  # `expected` is the date Jobindsats announced for the table, not an estimate
    tables: tuple[str, ...] = ()  # the jobindsats.dk tables the active mappings read

    @property
    def deliverer_named(self) -> bool:
        return self.source != Goal.Source.NOT_STATED

    @property
    def computed_from_jobindsats(self) -> bool:
        """The plan names jobindsats.dk, but no table holds the figure as one number: it is computed by hand."""
        return self.kind == LOCAL and self.source == Goal.Source.JOBINDSATS

    @property
    def sources(self) -> tuple[tuple[str, ExtractMapping], ...]:
        """Each mapping with where its figures come from in the members' words (never its note)."""
        return tuple((member_source(m), m) for m in self.mappings)

    @property
    def expected_text(self) -> str:
        if self.expected is None:
            return ""
        if self.announced:
            return _("Jobindsats opdaterer tabellen den %(day)s") % {"day": date_format(self.expected)}
        return _("forventes omkring %(month)s") % {"month": date_format(self.expected, "F Y")}


def member_source(mapping: ExtractMapping) -> str:
    """The mapping's source as members read it: its own words, else table and measure."""
    if mapping.source_text:
        return mapping.source_text
    if mapping.table:
        return _("Jobindsats.dk, tabel %(table)s: %(measure)s") % {"table": mapping.table, "measure": mapping.measure}
    return _("Jobindsats.dk: %(measure)s") % {"measure": mapping.measure}


def age_limit_months(indicator: Indicator) -> int:
    """How old (in months after the period's end) the newest figure may be; the evaluator's rule."""
    return FREQUENCY_MONTHS[indicator.goal.frequency] + PUBLICATION_LAG_MONTHS


def is_too_old(indicator: Indicator, latest: Point | None, today: date) -> bool:
    return latest is not None and months_between(latest.period.end, today) > age_limit_months(indicator)


def expected_after(indicator: Indicator, newest_end: date | None) -> date | None:
    """About when the figures for the period after `newest_end` should be published."""
    return add_months(newest_end, age_limit_months(indicator)) if newest_end else None


def describe(indicators: Iterable[Indicator], area: str | None = None) -> dict[int, FigureSource]:
    """Each indicator's source, by id. Three queries, however many indicators, mappings and imports.

    When new figures are expected: the date Jobindsats announced for the source's tables (stored by
    the API fetch), else an estimate from the newest period, the goal's frequency and the usual lag.

    The indicators' goals must be loaded (indicator.goal), as the goal page and the overview have them.
    """
    indicators = list(indicators)
    mappings = _active_mappings([i.id for i in indicators])
    newest_end, last_import = _newest_figures(indicators, area or settings.PORTAL_AREA)
    tables = {t for found in mappings.values() for m in found for t in m.tables}
    announced = dict(
        TableMetadata.objects.filter(table__in=tables, next_update__isnull=False).values_list("table", "next_update")
    )
    return {
        indicator.id: _source(
            indicator,
            tuple(mappings.get(indicator.id, ())),
            newest_end.get(indicator.id),
            last_import.get(indicator.id),
            announced,
        )
        for indicator in indicators
    }


def _active_mappings(ids: list[int]) -> dict[int, list[ExtractMapping]]:
    mappings = defaultdict(list)
    for mapping in ExtractMapping.objects.filter(indicator_id__in=ids, active=True).order_by("table", "measure", "id"):
        mappings[mapping.indicator_id].append(mapping)
    return mappings


def _newest_figures(indicators: list[Indicator], area: str) -> tuple[dict[int, date], dict[int, LastImport]]:
    """Each indicator's newest period end and the newest import that left figures, across its series.

    The figures of an indicator's predecessors are its series too (plans.services.lineage), as its chart
    shows: a copied plan's goal names the import that brought last year's figures.
    """
    chain_map = lineage.chains(indicators)
    owners = defaultdict(list)
    for owner, chain in chain_map.items():
        for member in chain:
            owners[member].append(owner)
    # One row per (indicator, import): the newest period that import (or typing by hand) left.
    rows = (
        Observation.objects.filter(indicator_id__in=lineage.all_ids(chain_map), area=area)
        .values(
            "indicator_id",
            "data_import_id",
            "data_import__original_name",
            "data_import__finished_at",
            "data_import__uploaded_at",
        )
        .annotate(newest=Max("period_end"))
        .order_by()
    )
    newest_end, last_import = {}, {}
    for row in rows:
        found = _last_import(row)
        for indicator_id in owners[row["indicator_id"]]:
            if newest_end.get(indicator_id) is None or row["newest"] > newest_end[indicator_id]:
                newest_end[indicator_id] = row["newest"]
            known = last_import.get(indicator_id)
            if found is not None and (known is None or (found.at, found.id) > (known.at, known.id)):
                last_import[indicator_id] = found
    return newest_end, last_import


def _last_import(row: dict) -> LastImport | None:
    """The import of an observation row; None for figures typed by hand."""
    if row["data_import_id"] is None:
        return None
    return LastImport(
        row["data_import_id"],
        row["data_import__original_name"],
        row["data_import__finished_at"] or row["data_import__uploaded_at"],
    )


def _kind(indicator: Indicator, active: tuple[ExtractMapping, ...]) -> str:
    if active:
        return JOBINDSATS
    if indicator.goal.source == Goal.Source.JOBINDSATS and not indicator.local_instruction:
        return NONE
    return LOCAL  # a local source, or a jobindsats goal whose figure is computed by hand (its instruction says how)


def _source(
    indicator: Indicator,
    active: tuple[ExtractMapping, ...],
    end: date | None,
    last_import: LastImport | None,
    announced: dict[str, date],
) -> FigureSource:
    goal, kind = indicator.goal, _kind(indicator, active)
    used = sorted({t for m in active for t in m.tables})
    next_update = min((announced[t] for t in used if t in announced), default=None)
    return FigureSource(
        kind=kind,
        goal_code=goal.code,
        mappings=active,
        deliverer=goal.get_source_display() if kind == LOCAL else "",
        source=goal.source,
        instruction=indicator.local_instruction if kind == LOCAL else "",
        last_import=last_import,
        newest_end=end,
        expected=next_update or expected_after(indicator, end),
        announced=next_update is not None,
        tables=tuple(used),
    )


def missing_reason(indicator: Indicator, route: FigureSource, latest: Point | None, today: date | None = None) -> str:
    """Why the indicator's status is "Mangler data": no route, no figures, or figures too old.

    Empty when the cause is something else (a missing comparison or threshold: the evaluator's
    reason says which).
    """
    if latest is None:
        return _("ingen datarute") if route.kind == NONE else _("ingen tal endnu")
    if is_too_old(indicator, latest, today or timezone.localdate()):
        return _("tallene er forældede (nyeste: %(period)s)") % {"period": latest.period.label}
    return ""
