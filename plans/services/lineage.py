"""Plans over time: an indicator's series runs on through its predecessors in earlier plans.

A copied indicator (plans.services.plan_copy) is a new row that names its predecessor; its
observations and its predecessors' make one series, so a measure that a new plan re-uses needs no
re-import. Where two indicators of a chain hold the same period, the nearest one wins (the
indicator's own figure, then last year's, ...). Indicator.predecessor_ids holds the chain, so
reading it costs no query.
"""

from collections.abc import Callable, Iterable

from plans.core.models import Indicator


def chains(indicators: Iterable) -> dict[int, list[int]]:
    """{indicator id: its series' indicator ids, nearest first}, from Indicator objects or plain ids.

    A plain id reads its own observations only (no chain): callers that want the chain pass objects.
    """
    result = {}
    for item in indicators:
        if isinstance(item, int):
            result[item] = [item]
        else:
            result[item.id] = [item.id, *(getattr(item, "predecessor_ids", None) or [])]
    return result


def all_ids(chain_map: dict[int, list[int]]) -> list[int]:
    return sorted({i for ids in chain_map.values() for i in ids})


def expand(chain_map: dict[int, list[int]], ids: Iterable[int]) -> list[int]:
    """Indicator ids and every id in their chains (for the `whole_series` filter)."""
    wanted = set(ids)
    return sorted({i for owner, ids_ in chain_map.items() if owner in wanted for i in ids_} | wanted)


def expand_dates(chain_map: dict[int, list[int]], dates: dict | None) -> dict | None:
    """{indicator id: date} for every id in the chains (the earliest date where chains meet)."""
    if not dates:
        return dates
    result = dict(dates)
    for owner, since in dates.items():
        for member in chain_map.get(owner, [owner]):
            result[member] = min(since, result.get(member, since))
    return result


def merge(
    chain_map: dict[int, list[int]], grouped: dict[int, list], period_of: Callable, end_of: Callable
) -> dict[int, list]:
    """Each requested indicator's rows from its chain, one per period (the nearest indicator's), oldest first."""
    merged = {}
    for owner, ids in chain_map.items():
        if len(ids) == 1:
            if ids[0] in grouped:
                merged[owner] = grouped[ids[0]]
            continue
        seen, rows = set(), []
        for member in ids:
            for row in grouped.get(member, []):
                if period_of(row) not in seen:
                    seen.add(period_of(row))
                    rows.append(row)
        if rows:
            merged[owner] = sorted(rows, key=end_of)  # stable: the order within a period end is kept
    return merged


def with_successors(indicator_ids: Iterable[int]) -> list[int]:
    """The indicators and those in later plans that name them as predecessor (a query per plan generation)."""
    found = set(indicator_ids)
    frontier = set(found)
    while frontier:
        frontier = set(Indicator.objects.filter(predecessor_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return sorted(found)


def split_predecessor_points(figure: dict, from_predecessor: list[bool], label: str) -> dict:
    """The goal page's chart: the figures that come from the predecessor's series as a trace of their own.

    The first trace is the indicator's value series (plans.services.charts.series_figure); both traces
    keep its x axis, so the periods stay in order, and each shows only its own points.
    """
    if not figure or not any(from_predecessor):
        return figure
    own = figure["data"][0]
    earlier = {
        **own,
        "name": label,
        "y": [y if flag else None for y, flag in zip(own["y"], from_predecessor)],
        "line": {**own.get("line", {}), "dash": "dot", "color": "#6b4c9a"},
        "marker": {**own.get("marker", {}), "symbol": "circle-open", "color": "#6b4c9a"},
    }
    own["y"] = [None if flag else y for y, flag in zip(own["y"], from_predecessor)]
    figure["data"].insert(1, earlier)
    return figure


def predecessor_label(goal, indicator, area: str) -> str:
    """The chart's name for the figures from earlier plans (goal.predecessor with its plan, selected with the goal)."""
    from django.utils.translation import gettext as _

    if len(indicator.predecessor_ids) == 1 and goal.predecessor_id and goal.predecessor.plan_id:
        return _("%(area)s, mål %(code)s i %(plan)s") % {
            "area": area,
            "code": goal.predecessor.code,
            "plan": goal.predecessor.plan.title,
        }
    return _("%(area)s, tidligere planer") % {"area": area}
