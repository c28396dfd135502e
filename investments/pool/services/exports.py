"""A round's applications as CSV or XLSX (portal.exports: formulas neutralised). No contact data: the
export is for everyone who reads the round."""

from django.utils.translation import gettext as _

from investments.pool.models import Application, PoolRound
from portal.exports import export_response


def headers() -> list[str]:
    return [
        _("Organisation"),
        _("Type ansøger"),
        _("CVR-nummer"),
        _("Projektets titel"),
        _("Understøttede mål"),
        _("Ansøgt beløb (kr.)"),
        _("Periode fra"),
        _("Periode til"),
        _("Modtaget"),
        _("Kilde"),
        _("Status"),
        _("Indstilling"),
        _("Indstillet beløb (kr.)"),
        _("Bevilget beløb (kr.)"),
        _("Mødedato"),
    ]


def rows(applications) -> list[list]:
    result = []
    for a in applications:
        assessment = getattr(a, "assessment", None)
        decision = a.latest_decision
        result.append(
            [
                a.organisation,
                a.get_kind_display(),
                a.cvr,
                a.title,
                ", ".join(a.goal_code_list),
                a.amount_applied,
                a.period_start,
                a.period_end,
                a.received_at,
                a.get_source_display(),
                a.get_state_display(),
                assessment.get_recommendation_display() if assessment else "",
                assessment.proposed_amount if assessment else None,
                decision.granted_amount if decision else None,
                decision.meeting_date if decision else None,
            ]
        )
    return result


def round_applications(pool_round: PoolRound):
    return Application.objects.filter(round=pool_round).select_related("assessment").prefetch_related("decisions")


def export(fmt: str, pool_round: PoolRound):
    name = _("pulje-ansoegninger-%(date)s") % {"date": pool_round.deadline.isoformat()}
    return export_response(fmt, name, headers(), rows(round_applications(pool_round)), title=_("Ansøgninger"))
