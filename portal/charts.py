"""Charts shared by the apps: plotly figure specs (drawn by plotly.js via static/js/charts.js)
and small SVG trend lines.

The specs are plain dicts in plotly's figure schema. Building them through plotly.graph_objects
validates every point on every request, which cost a goal page ~40 ms; the tests validate the
specs with plotly.graph_objects instead.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.templatetags.portal_format import tal

COLOURS = {"value": "#00507a", "comparison": "#4a4a4a", "target": "#a4161a", "expected": "#8a5300"}
# One colour per series where there are several (all AA-contrast on white).
SERIES = ["#00507a", "#8a5300", "#1d6b2f", "#6b2c91", "#a4161a", "#4a4a4a"]


def floats(values: Sequence[Decimal | None]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


def figure(traces: list[dict], y_title: str, **layout) -> dict:
    return {
        "data": traces,
        "layout": {
            "separators": ",.",  # Danish decimal comma and thousands dot
            "template": {"layout": {"plot_bgcolor": "white", "paper_bgcolor": "white"}},
            "height": 360,
            "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
            "legend": {"orientation": "h", "y": -0.2},
            "yaxis": {"title": {"text": y_title}, "gridcolor": "#e5e5e5", "zerolinecolor": "#c4c4c4"},
            "xaxis": {"type": "category"},
            "font": {"family": "system-ui, Arial, sans-serif", "size": 13},
            **layout,
        },
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
    label = "Udvikling: " + "; ".join(str(tal(v, decimals)) for v in values)
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<title>{}</title><polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
        width, height, width, height, label, label, points,
    )  # fmt: skip
