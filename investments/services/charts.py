"""The investment pages' charts (see portal.charts)."""

from django.utils.translation import gettext as _

from investments.services.summary import Overview, ProposalSummary, in_thousands
from portal.charts import MILLION_KR, SERIES, THOUSAND_KR, figure, floats


def net_effect_figure(overview: Overview) -> dict:
    """The yearly net effect per proposal, stacked, with the accumulated total as a line (1.000 kr.,
    as the table beside it; the figure caption says that negative is less public support)."""
    years = [str(y) for y in overview.years]
    traces = [
        {
            "type": "bar",
            "x": years,
            "y": floats([in_thousands(y.net) for y in p.years]),
            "name": _("Forslag %(number)s") % {"number": p.proposal.number},
            "marker": {"color": SERIES[i % len(SERIES)]},
        }
        for i, p in enumerate(overview.proposals)
    ]
    traces.append(
        {
            "type": "scatter",
            "x": years,
            "y": floats([in_thousands(c) for c in overview.cumulative_totals]),
            "name": _("Akkumuleret i alt"),
            "mode": "lines+markers",
            "line": {"color": "#1b1b1b", "width": 3},
        }
    )
    return figure(traces, THOUSAND_KR, filename="investeringer-nettovirkning", barmode="relative")


def realised_figure(summary: ProposalSummary) -> dict:
    """Expected against realised savings per year (mio. kr., three decimals as the table)."""
    years = [str(y.year) for y in summary.years]
    return figure(
        [
            {
                "type": "bar",
                "x": years,
                "y": floats([y.savings for y in summary.years]),
                "name": _("Forventet besparelse (Bilag 4)"),
                "marker": {"color": SERIES[1]},
            },
            {
                "type": "bar",
                "x": years,
                "y": floats([y.realised for y in summary.years]),
                "name": _("Realiseret besparelse"),
                "marker": {"color": SERIES[0]},
            },
        ],
        MILLION_KR,
        filename=f"forslag-{summary.proposal.number}-besparelse",
        barmode="group",
    )
