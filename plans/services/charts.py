"""The goal dashboards' charts (see portal.charts)."""

from collections.abc import Sequence
from decimal import Decimal

from portal.charts import COLOURS, figure, floats


def series_figure(
    labels: Sequence[str],
    values: Sequence[Decimal],
    comparisons: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
    *,
    area: str,
    comparison_label: str,
    y_title: str,
) -> dict:
    x = list(labels)
    traces = [{"type": "scatter", "x": x, "y": floats(values), "name": area, "mode": "lines+markers",
               "line": {"color": COLOURS["value"], "width": 3}}]  # fmt: skip
    if any(c is not None for c in comparisons):
        traces.append({"type": "scatter", "x": x, "y": floats(comparisons), "name": comparison_label or "Sammenligning",
                       "mode": "lines+markers", "line": {"color": COLOURS["comparison"], "dash": "dash"}})  # fmt: skip
    if any(t is not None for t in targets):
        traces.append({"type": "scatter", "x": x, "y": floats(targets), "name": "Mål", "mode": "lines",
                       "line": {"color": COLOURS["target"], "dash": "dot", "width": 2}})  # fmt: skip
    return figure(traces, y_title)


def benchmark_figure(groups: Sequence[str], expected: Sequence[int], actual: Sequence[int]) -> dict:
    traces = [
        {"type": "bar", "x": list(groups), "y": list(expected), "name": "Forventet antal", "marker": {"color": COLOURS["expected"]}},
        {"type": "bar", "x": list(groups), "y": list(actual), "name": "Faktisk antal", "marker": {"color": COLOURS["value"]}},
    ]
    return figure(traces, "Fuldtidspersoner", barmode="group")
