"""A round's applications as one agenda document (PDF, A4, rendered by WeasyPrint) for the committee's meeting:
the pool's figures, then per application the project, the amount applied for and the administration's
assessment and recommendation. No contact data: the agenda goes to every member.

WeasyPrint needs Pango from the operating system (see the README); without it `render` raises PdfUnavailable
and the round's page says so instead of failing.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from investments.pool.models import PoolRound
from investments.pool.services import exports, rounds
from portal import demo, pdf


def html(pool_round: PoolRound, today: date) -> str:
    applications = list(exports.round_applications(pool_round))
    return render_to_string(
        "investments/pool/agenda_pdf.html",
        {
            "round": pool_round,
            "figures": rounds.year_figures(pool_round.pool_year),
            "applications": applications,
            "proposed": sum((a.assessment.proposed_amount or 0 for a in applications if hasattr(a, "assessment")), 0),
            "today": today,
            "demo_data_loaded": demo.is_loaded(),
        },
    )


def render(pool_round: PoolRound, today: date) -> bytes:
    return pdf.render(html(pool_round, today))


def filename(pool_round: PoolRound) -> str:
    return _("pulje-dagsorden-%(date)s.pdf") % {"date": pool_round.deadline.isoformat()}
