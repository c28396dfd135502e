"""What a goal's page shows for each of its indicators: the numbers (built as the overview builds them,
plans.services.dashboard.indicator_summary), the table's rows, the chart, the data route and why data is
missing. The view parses the request, pages and exports the tables, and renders.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.conf import settings

from plans.evaluation import Status, target_line
from plans.imports import routes
from plans.models import Goal, Indicator, Plan
from plans.services import charts, lineage, status
from plans.services.dashboard import IndicatorSummary, indicator_summary
from portal.charts import thinned
from portal.registry import GoalChoices

# The page's table holds the newest ten years of monthly figures (paged); its CSV/XLSX export holds them all,
# so a long history does not make every page view build and sort rows nobody pages back to.
TABLE_PERIODS = 120

# An import writes "Import #12: <uploaded file name>" as the figure's source; the page and its export name the
# import only, since file names are the administrators' business (they reach the file from the import's page).
_IMPORT_SOURCE = re.compile(r"^(Import #\d+): .*$", re.S)


def shown_source(note: str) -> str:
    return _IMPORT_SOURCE.sub(r"\1", note)


@dataclass
class IndicatorBlock:
    indicator: Indicator
    summary: IndicatorSummary  # latest, target, stale: the same numbers as the overview's
    figures: list[status.Figure]  # one per period, oldest first
    figure: dict | None  # the chart, thinned on a long history; None without figures
    route: routes.FigureSource
    missing_reason: str  # why "Mangler data", if that is the status

    def rows(self, newest: int | None = None) -> list[dict]:
        """The table's rows, oldest first: every period, or the `newest` periods."""
        start = 0 if newest is None else max(len(self.figures) - newest, 0)
        targets = target_line(self.indicator.target_rule(), self.figures, at=range(start, len(self.figures)))
        return [
            {
                "period": f.period,  # labelled by the table, for the rows it shows
                "period_end": f.period.end,
                "value": f.value,
                "comparison": f.comparison,
                "target": target,
                "source": shown_source(f.source_note),
            }
            for f, target in zip(self.figures[start:], targets)
        ]

    @property
    def periods_not_in_table(self) -> int:
        return max(len(self.figures) - TABLE_PERIODS, 0)

    @property
    def latest(self):
        return self.summary.latest

    @property
    def stale(self) -> bool:
        return self.summary.stale

    @property
    def figure_id(self) -> str:
        return f"figur-{self.indicator.id}"

    @property
    def export_name(self) -> str:
        return f"maal-{self.indicator.goal.code}-{self.indicator.position}"


@dataclass
class GoalPage:
    goal: Goal
    blocks: list[IndicatorBlock]

    @cached_property
    def status_changes(self) -> list:
        """The indicators' newest status changes: read when shown (an export does without)."""
        return status.history(b.indicator for b in self.blocks)


def _block(goal: Goal, indicator: Indicator, figures: list, route: routes.FigureSource, today: date) -> IndicatorBlock:
    summary = indicator_summary(indicator, figures, today)  # oldest first; the evaluator reads a Figure as a Point
    shown = thinned(len(figures))  # the chart thins a long history (the export keeps every period)
    figure = (
        charts.series_figure(
            [figures[i].period.short_label for i in shown],
            [figures[i].value for i in shown],
            [figures[i].comparison for i in shown],
            target_line(indicator.target_rule(), figures, at=shown),
            area=settings.PORTAL_AREA,
            comparison_label=indicator.comparison_label,
            unit=charts.unit_of(indicator),
            filename=f"maal-{goal.code}-{indicator.position}",
        )
        if figures
        else None
    )
    figure = lineage.split_predecessor_points(
        figure,
        [figures[i].indicator_id != indicator.id for i in shown],
        lineage.predecessor_label(goal, indicator, settings.PORTAL_AREA),
    )
    # Why "Mangler data": no route, no figures or too old; else the evaluator's reason (a missing comparison, say).
    reason = (
        (routes.missing_reason(indicator, route, summary.latest, today) or summary.reason)
        if summary.status == Status.MISSING_DATA
        else ""
    )
    return IndicatorBlock(indicator, summary, figures, figure, route, reason)


def goal_page(goal: Goal, today: date) -> GoalPage:
    """The goal's indicators with their figures, routes and status history, in a fixed number of queries."""
    indicators = list(goal.indicators.all())
    for indicator in indicators:
        indicator.goal = goal
    # Objects, not ids: a series runs on through the indicator's predecessors (plans.services.lineage).
    by_indicator = status.figures_by_indicator(indicators)
    data_routes = routes.describe(indicators)
    blocks = [_block(goal, i, by_indicator.get(i.id, []), data_routes[i.id], today) for i in indicators]
    return GoalPage(goal, blocks)


def goal_choices(today: date) -> GoalChoices:
    """The goals of the plan in force, for other apps' forms (portal.registry.goal_choices): two queries."""
    plan = Plan.objects.in_force(today)
    if plan is None:
        return GoalChoices(None, [])
    return GoalChoices(plan.year, [(g.code, f"{g.code} {g.title}") for g in plan.goals.order_by("major", "minor")])
