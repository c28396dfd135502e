"""Keeps indicators' cached statuses in step with their observations (see Indicator)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Left
from django.utils import timezone, translation

from plans.core.models import Goal, Indicator, Observation, StatusChange
from plans.evaluation import Point, RuleKind, Status, evaluate
from plans.services import lineage
from portal import cache
from portal.periods import Period, parse_period


# Every period code starts with the year its period ends in (portal.periods: 2024M03, 2024Q1, 2024H2, 2024, and
# 2021QMAT02, which ends in 2021), so a bound on the period's end is a bound on its code too. The unique key
# (indicator, area, period_code) then reads only the years a page asks for, however long the history; an index
# on period_end would have done the same and cost the import 2.6 s a million rows.
def _ending_from(day: date) -> Q:
    """Periods that end on or after `day`."""
    return Q(period_code__gte=str(day.year), period_end__gte=day)


def _ending_by(day: date) -> Q:
    """Periods that end on or before `day`."""
    return Q(period_code__lt=str(day.year + 1), period_end__lte=day)


def _edge_observation(area: str, *, newest: bool, until: date | None = None) -> QuerySet:
    """For a query of Indicator rows: the pk of each one's newest (else oldest) observation in `area`, of a period
    ending by `until`. Its newest (oldest) code names the year that observation ends in, and only that year's
    rows are sorted (at most 23 codes: months, quarters, halves, the year, moving annual totals)."""

    def rows(indicator) -> QuerySet:
        found = Observation.objects.filter(indicator_id=indicator, area=area)
        return found.filter(_ending_by(until)) if until else found

    sign = "-" if newest else ""
    edge_code = rows(OuterRef(OuterRef("pk"))).order_by(f"{sign}period_code").values("period_code")[:1]
    year = Left(Subquery(edge_code), 4)
    same_year = (
        Q(period_code__gte=year)
        if newest
        else Q(period_code__lt=Cast(Cast(year, IntegerField()) + 1, CharField()))  # before the next year's codes
    )
    ordered = rows(OuterRef("pk")).filter(same_year).order_by(f"{sign}period_end", f"{sign}period_start", f"{sign}pk")
    return ordered.values("pk")[:1]


def _observations(
    indicator_ids: Iterable[int],
    fields: tuple[str, ...],
    *,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
    whole_series: Iterable[int] = (),
    since_for: dict[int, date] | None = None,
) -> Iterable[tuple]:
    """The `fields` of the portal's area's observations of these indicators, oldest first.

    `since` leaves older periods out, except the first observation of the indicators in
    `whole_series` (a trajectory's baseline: the rule reads that point, not the series between),
    and for the indicators in `since_for` ({indicator id: date}), which start at their own date.
    Each of those is a query of its own in one UNION, so that each reads its rows by the unique key.
    """
    area = area or settings.PORTAL_AREA
    # No default ordering: it joins the indicator, its goal and plan to sort by them.
    rows = Observation.objects.filter(indicator_id__in=list(indicator_ids), area=area).order_by()
    if until:
        rows = rows.filter(_ending_by(until))
    parts = [rows.filter(_ending_from(since)) if since else rows]
    if since:
        for indicator_id, own_since in sorted((since_for or {}).items()):
            parts.append(rows.filter(_ending_from(own_since), indicator_id=indicator_id))
        whole_series = list(whole_series)
        if whole_series:
            oldest = Indicator.objects.filter(id__in=whole_series).annotate(
                first=Subquery(_edge_observation(area, newest=False))
            )
            parts.append(rows.filter(pk__in=oldest.values("first")))
    if len(parts) == 1:
        return parts[0].values_list(*fields).order_by("period_end")
    # A UNION drops a row that two parts read, and is ordered by a column it selects: the end, left off each row.
    rows = parts[0].union(*parts[1:]).values_list(*fields, "period_end").order_by("period_end")
    return (row[:-1] for row in rows)


# The three readers below take Indicator objects or plain ids. An object's series runs on through its
# predecessors in earlier plans (plans.services.lineage; no extra query); a plain id reads its own rows.
def _chained(indicators, filters: dict) -> tuple[dict[int, list[int]], dict]:
    chain_map = lineage.chains(indicators)
    if "whole_series" in filters:
        filters = {**filters, "whole_series": lineage.expand(chain_map, filters["whole_series"])}
    if filters.get("since_for"):
        filters = {**filters, "since_for": lineage.expand_dates(chain_map, filters["since_for"])}
    return chain_map, filters


class Figure(NamedTuple):
    """An observation as the goal page shows it: a Point's three fields first, so that the evaluator reads a Figure
    as its point, then where it came from. One tuple and no model object: a page reads every period of a long
    history."""

    period: Period
    value: Decimal
    comparison: Decimal | None
    indicator_id: int  # the indicator's own, or a predecessor's (plans.services.lineage)
    source_note: str


def figures_by_indicator(indicators: Iterable, **filters) -> dict[int, list[Figure]]:
    """Each indicator's observations with their source, oldest first (one query)."""
    chain_map, filters = _chained(indicators, filters)
    grouped = defaultdict(list)
    rows = _observations(
        lineage.all_ids(chain_map), ("indicator_id", "period_code", "value", "comparison", "source_note"), **filters
    )
    for indicator_id, code, value, comparison, source_note in rows:
        grouped[indicator_id].append(Figure(parse_period(code), value, comparison, indicator_id, source_note))
    return defaultdict(list, lineage.merge(chain_map, grouped, lambda f: f.period.code, lambda f: f.period.end))


def series_by_indicator(indicators: Iterable, **filters) -> dict[int, list[Point]]:
    """Each indicator's observations as evaluator points (one query; no model objects, as pages read thousands)."""
    chain_map, filters = _chained(indicators, filters)
    series = defaultdict(list)
    for indicator_id, code, value, comparison in _observations(
        lineage.all_ids(chain_map), ("indicator_id", "period_code", "value", "comparison"), **filters
    ):
        series[indicator_id].append(Point(parse_period(code), value, comparison))
    return defaultdict(list, lineage.merge(chain_map, series, lambda p: p.period.code, lambda p: p.period.end))


def latest_by_indicator(indicators: Iterable, area: str | None = None, until: date | None = None) -> dict[int, Point]:
    """Each indicator's newest observation (of a period ending by `until`), however old (one query; SQLite and
    PostgreSQL alike)."""
    area = area or settings.PORTAL_AREA
    chain_map = lineage.chains(indicators)
    newest = _edge_observation(area, newest=True, until=until)
    wanted = (
        Indicator.objects.filter(id__in=lineage.all_ids(chain_map)).annotate(newest=Subquery(newest)).values("newest")
    )
    found = {
        indicator_id: Point(parse_period(code), value, comparison)
        for indicator_id, code, value, comparison in Observation.objects.filter(pk__in=wanted)
        .order_by()  # a dict: the default ordering would join the indicator, goal and plan for nothing
        .values_list("indicator_id", "period_code", "value", "comparison")
    }
    latest = {}
    for owner, ids in chain_map.items():
        points = [found[i] for i in ids if i in found]  # nearest first: max() keeps the first of equals
        if points:
            latest[owner] = max(points, key=lambda p: (p.period.end, p.period.start))
    return latest


def needs_whole_series(indicators: Iterable[Indicator]) -> list[int]:
    """Indicators whose target depends on the first value of the series (a trajectory with no fixed baseline)."""
    return [i.id for i in indicators if i.rule == RuleKind.SHARE_BY_YEAR and i.baseline_value is None]


# What the evaluator looks back at: the same period a year before, and a monthly average's window.
EVALUATION_LOOKBACK_DAYS = 2 * 366


def history(indicators: Iterable[Indicator], limit: int = 20) -> list[StatusChange]:
    """The newest status changes of these indicators (one query)."""
    return list(
        StatusChange.objects.filter(indicator__in=list(indicators))
        .select_related("indicator")
        .order_by("-changed_at")[:limit]
    )


@transaction.atomic
def refresh(indicator_ids: Iterable[int] | None = None, today: date | None = None) -> int:
    """Re-evaluate indicators (all when None) and store their status; returns how many changed status.

    Safe to run twice: an unchanged verdict writes no status history.
    """
    today = today or timezone.localdate()
    indicators = Indicator.objects.select_related("goal").select_for_update(of=("self",))
    if indicator_ids is not None:  # with their successors in later plans, whose series run on through them
        indicators = indicators.filter(id__in=lineage.with_successors(indicator_ids))
    indicators = list(indicators)
    series = series_by_indicator(indicators)  # objects: each series runs on through the indicator's predecessors
    now = timezone.now()
    history = []
    for indicator in indicators:
        verdict = evaluate(indicator.target_rule(), series.get(indicator.id, []), today)
        # The reason's text is stored in the portal's language, whoever's request triggered the refresh (the
        # audit shows it); its parts let the pages show it in the reader's language.
        with translation.override(settings.LANGUAGE_CODE):
            reason = verdict.reason
        parts = verdict.why.parts() if verdict.why else {}
        if indicator.status != verdict.status or indicator.evaluated_at is None:
            history.append(
                StatusChange(
                    indicator=indicator, status=verdict.status, reason=reason, reason_parts=parts, changed_at=now
                )
            )
        indicator.status, indicator.status_reason, indicator.status_reason_parts = verdict.status, reason, parts
        indicator.evaluated_at = now
    Indicator.objects.bulk_update(indicators, ["status", "status_reason", "status_reason_parts", "evaluated_at"])
    StatusChange.objects.bulk_create(history)
    cache.bump()  # bulk writes send no signals; the cached pages show statuses
    return len(history)


def goals_with_status(plan) -> QuerySet[Goal]:
    """The plan's goals, each annotated with `status`: the most severe of its indicators' statuses."""
    return (
        Goal.objects.filter(plan=plan)
        .select_related("minister_goal")
        .prefetch_related("indicators")
        .annotate(status=Max("indicators__status"))
    )


def attention(plan) -> tuple[list[Goal], int]:
    """Goals at risk or not met (most severe first), and how many goals lack data. One query."""
    goals = list(Goal.objects.filter(plan=plan).annotate(status=Max("indicators__status")))
    flagged = sorted(
        (g for g in goals if g.status in (Status.AT_RISK, Status.NOT_MET)), key=lambda g: (-g.status, g.major, g.minor)
    )
    return flagged, sum(1 for g in goals if g.status == Status.MISSING_DATA)
