"""Charts shared by the apps: plotly figure specs (drawn by plotly.js via static/js/charts.js)
and small SVG trend lines.

The specs are plain dicts in plotly's figure schema. Building them through plotly.graph_objects
validates every point on every request, which cost a goal page ~40 ms; the tests validate the
specs with plotly.graph_objects instead.

Every chart states its unit on the value axis, and writes numbers as the tables beside it do:
the active language's separators (da 2.380,5; en 2,380.5), thousands grouped from 1.000, never
plotly's "40k". Axes are fixed (no zoom), so a finger on a phone scrolls the page, not the chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.templatetags.portal_format import tal

COLOURS = {"value": "#00507a", "comparison": "#4a4a4a", "target": "#a4161a", "expected": "#8a5300"}
# One colour per series where there are several (all AA-contrast on white).
SERIES = ["#00507a", "#8a5300", "#1d6b2f", "#6b2c91", "#a4161a", "#4a4a4a"]


@dataclass(frozen=True)
class Unit:
    """A value axis' unit: its title, the suffix after each number, and the decimals the tables use."""

    title: str
    decimals: int = 0
    suffix: str = ""


PERCENT = Unit(gettext_lazy("Andel (%)"), 1, " %")
COUNT = Unit(gettext_lazy("Antal"), 0)
MILLION_KR = Unit(gettext_lazy("Mio. kr."), 3)
THOUSAND_KR = Unit(gettext_lazy("1.000 kr."), 0)


MAX_POINTS = 120  # a chart shows at most this many points; its table beside it has them all


def thinned(count: int, limit: int = MAX_POINTS) -> list[int]:
    """Indexes of at most `limit` evenly spread points of a series of `count`, always the first and the last.

    A long monthly history draws the same line from fewer points, and the page's weight stops
    growing with the history.
    """
    if count <= limit:
        return list(range(count))
    step = (count - 1) / (limit - 1)
    return sorted({round(i * step) for i in range(limit)})


def separators() -> str:
    """plotly's decimal and thousands separators in the active language, as the tables write numbers."""
    return ".," if (get_language() or "da").startswith("en") else ",."


def floats(values: Sequence[Decimal | None]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


def hover(unit: Unit) -> str:
    """A trace's hover text: the series name and the value as the table shows it."""
    return f"%{{fullData.name}}: %{{y:,.{unit.decimals}f}}{unit.suffix}<extra></extra>"


def figure(traces: list[dict], unit: Unit, *, filename: str = "graf", **layout) -> dict:
    """A figure with the portal's layout; `filename` names the PNG that the toolbar saves."""
    for trace in traces:
        trace.setdefault("hovertemplate", hover(unit))
    return {
        "data": traces,
        "layout": {
            "separators": separators(),
            "template": {"layout": {"plot_bgcolor": "white", "paper_bgcolor": "white"}},
            "autosize": True,  # the width follows the figure's box (charts.js draws it responsive)
            "height": 360,
            # automargin below widens these where titles and tick labels need it, so nothing is cut.
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
            "hovermode": "x unified",
            "dragmode": False,
            "yaxis": {
                "title": {"text": str(unit.title), "standoff": 8},
                "automargin": True,
                "fixedrange": True,
                "tickformat": ",~f",
                "ticksuffix": unit.suffix,
                "separatethousands": True,
                "gridcolor": "#e5e5e5",
                "zerolinecolor": "#8a8a8a",
            },
            "xaxis": {"type": "category", "automargin": True, "fixedrange": True},
            "font": {"family": "system-ui, Arial, sans-serif", "size": 13},
            **layout,
        },
        "config": {"toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2}},
    }


def sparkline(values: Sequence[Decimal], decimals: int, width: int = 96, height: int = 24) -> SafeString | str:
    """A small trend line; its label reads the values out for screen readers."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = Decimal(width - 4) / (len(values) - 1)
    points = " ".join(
        f"{2 + step * i:.1f},{2 + (height - 4) * (1 - (v - low) / span):.1f}" for i, v in enumerate(values)
    )
    label = _("Udvikling: %(values)s") % {"values": "; ".join(str(tal(v, decimals)) for v in values)}
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<title>{}</title><polyline points="{}" fill="none" stroke="{}" stroke-width="2"/></svg>',
        width,
        height,
        width,
        height,
        label,
        label,
        points,
        COLOURS["value"],  # a colour, not currentColor: WeasyPrint draws that black
    )
