"""The 50+ project's progress: the quarterly reports, their totals and the chart (see portal.charts)."""

from django.utils.translation import gettext as _

from events.project.models import Project
from portal.charts import COUNT, SERIES, figure
from portal.templatetags.portal_format import short_period


def project_overview() -> dict:
    """The project with its partners, seats, meetings and documents, and its quarterly figures.

    Returns data only; the template labels it. Without a project every value is empty.
    """
    project = Project.objects.prefetch_related("partners", "seats", "meetings__documents", "progress").first()
    reports = list(project.progress.all()) if project else []
    return {
        "project": project,
        "reports": reports,
        "figure": progress_figure(reports, project.target_participants) if reports else None,
        "totals": {
            "joint": sum(r.joint_conversations for r in reports),
            "offers": sum(r.offers_started for r in reports),
            "job": reports[-1].in_job_or_education if reports else 0,
        },
    }


def progress_figure(reports, target: int) -> dict:
    quarters = [short_period(r.quarter) for r in reports]  # K2 2025, as the table
    running, cumulative = 0, []
    for r in reports:
        running += r.joint_conversations
        cumulative.append(running)
    return figure(
        [
            {
                "type": "bar",
                "x": quarters,
                "y": [r.offers_started for r in reports],
                "name": _("Tilbud påbegyndt"),
                "marker": {"color": SERIES[1]},
            },
            {
                "type": "bar",
                "x": quarters,
                "y": [r.in_job_or_education for r in reports],
                "name": _("I job eller uddannelse"),
                "marker": {"color": SERIES[2]},
            },
            {
                "type": "scatter",
                "x": quarters,
                "y": cumulative,
                "name": _("Fælles samtaler (akkumuleret)"),
                "mode": "lines+markers",
                "line": {"color": SERIES[0], "width": 3},
            },
            {
                "type": "scatter",
                "x": quarters,
                "y": [target] * len(quarters),
                "name": _("Mål: %(target)s ledige") % {"target": target},
                "mode": "lines+markers",
                "line": {"color": "#a4161a", "dash": "dash"},
                "marker": {"symbol": "diamond-open", "size": 9},
            },
        ],
        COUNT,
        filename="50-plus-fremdrift",
        barmode="group",
    )
