"""What the overview and the half-year report show for each goal, built in a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from plans.evaluation import Evaluation, Point, Status, evaluate, fixed_target, target_line
from plans.imports.routes import is_too_old
from plans.models import Goal, GoalComment, Indicator, MinisterGoal, Plan
from plans.services.plan_choice import Choice
from plans.services.status import (
    EVALUATION_LOOKBACK_DAYS,
    goals_with_status,
    latest_by_indicator,
    needs_whole_series,
    series_by_indicator,
)
from portal.charts import sparkline
from portal.periods import Period

TREND_POINTS = 8
OVERVIEW_YEARS = 3  # the overview's trend looks this far back
# The order of the summary's columns.
SUMMARY_STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.NOT_MET, Status.MISSING_DATA)


@dataclass
class IndicatorSummary:
    """An indicator's numbers as the pages show them: status, newest figure, target, trend."""

    indicator: Indicator
    status: Status
    reason: str
    latest: Point | None
    target: Decimal | None
    trend: str
    stale: bool = False  # the newest figure is older than the goal's frequency allows


def indicator_summary(
    indicator: Indicator,
    series: list[Point],
    today: date,
    verdict: Evaluation | None = None,
    trend_since: date | None = None,
) -> IndicatorSummary:
    """An indicator's numbers from its series (oldest first): the one way the overview, the half-year
    report and the goal page (plans.services.goal_page) build them."""
    rule = indicator.target_rule()
    latest = series[-1] if series else None
    recent = (series if trend_since is None else [p for p in series if p.period.end >= trend_since])[-TREND_POINTS:]
    return IndicatorSummary(
        indicator=indicator,
        status=verdict.status if verdict else Status(indicator.status),
        reason=verdict.reason if verdict else indicator.shown_reason,
        latest=latest,
        target=target_line(rule, series, at=[len(series) - 1])[0] if series else fixed_target(rule),
        trend=sparkline([p.value for p in recent], indicator.decimals),
        stale=is_too_old(indicator, latest, today),
    )


@dataclass
class GoalSummary:
    """A goal's line on the overview and the report: its status and its indicators' summaries."""

    goal: Goal
    status: Status
    indicators: list[IndicatorSummary]
    comment: GoalComment | None = None

    @property
    def newest(self) -> date | None:
        ends = [i.latest.period.end for i in self.indicators if i.latest]
        return max(ends, default=None)


@dataclass
class Section:
    """The goals under one minister goal; those under none (the result and focus goals) have minister_goal None."""

    minister_goal: MinisterGoal | None
    goals: list[GoalSummary] = field(default_factory=list)

    @property
    def status_counts(self) -> list[int]:
        """How many of the section's goals have each status, in the order of SUMMARY_STATUSES."""
        return [sum(1 for summary in self.goals if summary.status == wanted) for wanted in SUMMARY_STATUSES]


def summary_totals(sections: list[Section]) -> list[int]:
    """The summary's last row: the counts of all sections, and their sum."""
    counts = [sum(column) for column in zip(*(s.status_counts for s in sections))] or [0] * len(SUMMARY_STATUSES)
    return [*counts, sum(counts)]


def _sections(plan: Plan, summaries: list[GoalSummary]) -> list[Section]:
    sections = {None: Section(None)}
    for minister_goal in plan.minister_goals.all():
        sections[minister_goal.id] = Section(minister_goal)
    for summary in summaries:
        sections[summary.goal.minister_goal_id].goals.append(summary)
    return [s for s in sections.values() if s.goals]


def _series_to_newest(indicators: list[Indicator], since: date, until: date | None = None) -> dict[int, list[Point]]:
    """Each indicator's series from `since` (to `until`), reaching back to its newest figure when that is older:
    the one way the overview and the half-year report read the figures they show (two queries)."""
    # A newest figure from before the window still shows, with its target: for those indicators, read
    # what the evaluator looks back at from that figure.
    latest = latest_by_indicator(indicators, until=until)  # objects: series run on through predecessors (lineage)
    since_for = {
        i: p.period.end - timedelta(days=EVALUATION_LOOKBACK_DAYS) for i, p in latest.items() if p.period.end < since
    }
    return series_by_indicator(
        indicators, since=since, until=until, whole_series=needs_whole_series(indicators), since_for=since_for
    )


def overview(plan: Plan, goals: list[Goal], today: date) -> list[Section]:
    """Goals with their stored status, newest value (however old) against target, and recent trend."""
    indicators = [i for g in goals for i in g.indicators.all()]
    since = today - timedelta(days=366 * OVERVIEW_YEARS)
    series = _series_to_newest(indicators, since)
    summaries = [
        GoalSummary(
            goal,
            Status(goal.status),
            [indicator_summary(i, series.get(i.id, []), today, trend_since=since) for i in goal.indicators.all()],
        )
        for goal in goals
    ]
    return _sections(plan, summaries)


def filtered_overview(choice: Choice, filterset) -> list[Section]:
    """The overview page: the plan in force with today's statuses, or an earlier plan with its statuses as
    they stood at the end of its year (the status filter then picks from those, not from today's)."""
    if not choice.is_earlier:
        return overview(choice.plan, list(filterset.qs), choice.today)
    other_filters = type(filterset)(
        {k: v for k, v in filterset.data.items() if k != "status"}, queryset=filterset.queryset
    )
    goal_ids = set(other_filters.qs.values_list("id", flat=True))
    wanted = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else None
    sections = half_year_report(choice.plan, choice.end_half, choice.today)
    for section in sections:
        section.goals = [
            summary
            for summary in section.goals
            if summary.goal.id in goal_ids and (not wanted or str(int(summary.status)) == str(wanted))
        ]
    return [s for s in sections if s.goals]


def half_year_report(plan: Plan, half: Period, today: date) -> list[Section]:
    """Every goal as the committee sees it at the end of a half-year (or today, in a half not yet over):
    evaluated on the data up to then, each indicator with its newest figure and its stale mark as the
    overview shows them."""
    goals = list(goals_with_status(plan))
    indicators = [i for g in goals for i in g.indicators.all()]
    as_of = min(half.end, today)
    since = half.end - timedelta(days=EVALUATION_LOOKBACK_DAYS)
    series = _series_to_newest(indicators, since, until=half.end)
    comments = {}
    for comment in (
        GoalComment.objects.filter(goal__plan=plan, period_code=half.code)
        .select_related("author")
        .order_by("created_at")
    ):
        comments[comment.goal_id] = comment  # the newest remark for the period wins
    summaries = []
    for goal in goals:
        items = []
        for indicator in goal.indicators.all():
            points = series.get(indicator.id, [])
            verdict = evaluate(indicator.target_rule(), points, as_of)
            items.append(indicator_summary(indicator, points, as_of, verdict, trend_since=since))
        summaries.append(GoalSummary(goal, max(i.status for i in items), items, comments.get(goal.id)))
    return _sections(plan, summaries)
