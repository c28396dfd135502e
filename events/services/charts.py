"""The events pages' charts (see portal.charts)."""

from django.utils.translation import gettext as _

from events.models import CitizenSignup
from events.services.figures import FairFigures
from portal.templatetags.portal_format import short_period
from portal.charts import COUNT, SERIES, Unit, figure


def signups_figure(figures: list[FairFigures], expected_min: int, expected_max: int) -> dict:
    fairs = [f.fair.venue for f in figures]
    traces = [
        {"type": "bar", "x": fairs, "y": [f.by_group[value] for f in figures], "name": str(label), "marker": {"color": SERIES[i]}}
        for i, (value, label) in enumerate(CitizenSignup.BenefitGroup.choices)
    ]
    traces.append({"type": "scatter", "x": fairs, "y": [f.attended for f in figures], "name": _("Mødt op"), "mode": "markers",
                   "marker": {"color": "#1b1b1b", "size": 12, "symbol": "diamond"}})  # fmt: skip
    band = [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": expected_min, "y1": expected_max,
             "fillcolor": "#1d6b2f", "opacity": 0.12, "line": {"width": 0}}]  # fmt: skip
    return figure(traces, Unit(_("Antal borgere")), filename="messer-tilmeldinger", barmode="stack", shapes=band)


def progress_figure(reports, target: int) -> dict:
    quarters = [short_period(r.quarter) for r in reports]  # K2 2025, as the table
    running, cumulative = 0, []
    for r in reports:
        running += r.joint_conversations
        cumulative.append(running)
    return figure([
        {"type": "bar", "x": quarters, "y": [r.offers_started for r in reports], "name": _("Tilbud påbegyndt"), "marker": {"color": SERIES[1]}},
        {"type": "bar", "x": quarters, "y": [r.in_job_or_education for r in reports], "name": _("I job eller uddannelse"),
         "marker": {"color": SERIES[2]}},
        {"type": "scatter", "x": quarters, "y": cumulative, "name": _("Fælles samtaler (akkumuleret)"), "mode": "lines+markers",
         "line": {"color": SERIES[0], "width": 3}},
        {"type": "scatter", "x": quarters, "y": [target] * len(quarters), "name": _("Mål: %(target)s ledige") % {"target": target},
         "mode": "lines+markers", "line": {"color": "#a4161a", "dash": "dash"}, "marker": {"symbol": "diamond-open", "size": 9}},
    ], COUNT, filename="50-plus-fremdrift", barmode="group")  # fmt: skip
