"""The goal dashboards' charts (see portal.charts)."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.charts import COLOURS, COUNT, PERCENT, Unit, figure, floats


def unit_of(indicator) -> Unit:
    """The chart unit of an indicator: a share in per cent, or a count."""
    return PERCENT if indicator.unit == "pct" else COUNT


def series_figure(
    labels: Sequence[str],
    values: Sequence[Decimal],
    comparisons: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
    *,
    area: str,
    comparison_label: str,
    unit: Unit,
    filename: str = "maal",
) -> dict:
    """An indicator's series: the value, its comparison and the target line, by period (short labels).

    The target is drawn last, so on top, dashed with open diamonds: where it equals the comparison
    (1.1's target is the expected figure) it runs inside the comparison's wide pale line, and both show.
    """
    x = [label.replace("\u2013", "\u2013<br>") for label in labels]  # a moving annual total on two lines
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": floats(values),
            "name": area,
            "mode": "lines+markers",
            "line": {"color": COLOURS["value"], "width": 3},
            "marker": {"size": 7},
        }
    ]
    if any(c is not None for c in comparisons):
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": floats(comparisons),
                "name": comparison_label or _("Sammenligning"),
                "mode": "lines+markers",
                "line": {"color": "#9a9a9a", "width": 7},
                "marker": {"color": COLOURS["comparison"], "symbol": "square", "size": 7},
            }
        )
    if any(t is not None for t in targets):
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": floats(targets),
                "name": pgettext("målværdi", "Mål"),
                "mode": "lines+markers",
                "line": {"color": COLOURS["target"], "dash": "dash", "width": 2},
                "marker": {"color": COLOURS["target"], "symbol": "diamond-open", "size": 9, "line": {"width": 2}},
            }
        )
    return figure(traces, unit, filename=filename)


def benchmark_figure(groups: Sequence[str], expected: Sequence[int], actual: Sequence[int]) -> dict:
    traces = [
        {
            "type": "bar",
            "x": list(groups),
            "y": list(expected),
            "name": _("Forventet antal"),
            "marker": {"color": COLOURS["expected"]},
        },
        {
            "type": "bar",
            "x": list(groups),
            "y": list(actual),
            "name": _("Faktisk antal"),
            "marker": {"color": COLOURS["value"]},
        },
    ]
    return figure(traces, Unit(_("Antal fuldtidspersoner")), filename="benchmark", barmode="group")
