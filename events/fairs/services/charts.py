"""The fairs' charts (see portal.charts)."""

from django.utils.translation import gettext as _

from events.fairs.models import CitizenSignup
from events.fairs.services.figures import FairFigures
from portal.charts import SERIES, Unit, figure


def signups_figure(figures: list[FairFigures], expected_min: int, expected_max: int) -> dict:
    fairs = [f.fair.venue for f in figures]
    traces = [
        {
            "type": "bar",
            "x": fairs,
            "y": [f.by_group[value] for f in figures],
            "name": str(label),
            "marker": {"color": SERIES[i]},
        }
        for i, (value, label) in enumerate(CitizenSignup.BenefitGroup.choices)
    ]
    traces.append(
        {
            "type": "scatter",
            "x": fairs,
            "y": [f.attended for f in figures],
            "name": _("Mødt op"),
            "mode": "markers",
            "marker": {"color": "#1b1b1b", "size": 12, "symbol": "diamond"},
        }
    )
    band = [
        {
            "type": "rect",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": expected_min,
            "y1": expected_max,
            "fillcolor": "#1d6b2f",
            "opacity": 0.12,
            "line": {"width": 0},
        }
    ]
    return figure(traces, Unit(_("Antal borgere")), filename="messer-tilmeldinger", barmode="stack", shapes=band)
