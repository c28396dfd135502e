"""Assessment, decision and the applicant's e-mail. The pool's invariant lives here: a grant never takes
the year's pool below zero, however many decisions are recorded at once."""

from datetime import date
from decimal import Decimal

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from investments.pool.models import Application, Assessment, Decision, FollowUp, PoolYear
from investments.pool.services.rounds import granted_sum, next_round_after


class DecisionRefused(Exception):
    """The decision cannot be recorded; the message says why, in the user's language."""


def kr(amount: Decimal) -> str:
    """An amount in the active language: "45.000 kr." in Danish, "DKK 45,000" in English."""
    return _("%(amount)s kr.") % {"amount": number_format(amount, decimal_pos=0, force_grouping=True)}


@transaction.atomic
def assess(application: Application, text: str, recommendation: str, proposed_amount, user) -> Assessment:
    assessment, _created = Assessment.objects.update_or_create(
        application=application,
        defaults={
            "text": text,
            "recommendation": recommendation,
            "proposed_amount": proposed_amount,
            "written_by": user,
        },
    )
    if application.state == Application.State.RECEIVED:
        application.state = Application.State.ASSESSED
        application.save(update_fields=["state"])
    return assessment


@transaction.atomic
def decide(
    application: Application,
    outcome: str,
    meeting_date: date,
    user,
    granted_amount: Decimal | None = None,
    message: str = "",
) -> Decision:
    """Record the committee's decision. A grant is checked against what is left of the year's pool with the
    pool's row locked (select_for_update), so two grants decided at once cannot both take the last kroner:
    the second waits for the first to commit and then sees its grant in the sum."""
    pool_year = PoolYear.objects.select_for_update().get(pk=application.round.pool_year_id)
    # of=("self",): the application's row only; its round's row is no lock of the pool's (the pool year is).
    application = Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    if application.decisions.filter(outcome=Decision.Outcome.GRANTED).exists():
        raise DecisionRefused(_("Ansøgningen har allerede fået en bevilling."))
    if outcome == Decision.Outcome.GRANTED:
        if not granted_amount or granted_amount <= 0:
            raise DecisionRefused(_("Angiv det bevilgede beløb."))
        remaining = pool_year.amount - granted_sum(pool_year)
        if granted_amount > remaining:
            raise DecisionRefused(
                _("Der er kun %(remaining)s tilbage i puljen for %(year)s; bevillingen på %(amount)s er ikke gemt.")
                % {"remaining": kr(remaining), "year": pool_year.year, "amount": kr(granted_amount)}
            )
    else:
        granted_amount = None
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        granted_amount=granted_amount,
        meeting_date=meeting_date,
        decided_by=user,
        message=message or default_message(application, outcome, meeting_date, granted_amount),
    )
    application.state = outcome
    fields = ["state"]
    if outcome == Decision.Outcome.POSTPONED and (later := next_round_after(application.round)):
        application.round = later  # the next round's agenda takes it up again
        fields.append("round")
    application.save(update_fields=fields)
    return decision


def default_message(application: Application, outcome: str, meeting_date: date, amount: Decimal | None) -> str:
    """The e-mail to the applicant, in Danish (the applicant's language); the administrator may edit it."""
    with translation.override("da"):
        values = {
            "date": date_format(meeting_date, "j. F Y"),
            "title": application.title,
            "amount": kr(amount) if amount else "",
            "applied": kr(application.amount_applied),
        }
        if outcome == Decision.Outcome.GRANTED:
            body = _(
                'Arbejdsmarkedsudvalget har på mødet den %(date)s bevilget %(amount)s fra udvalgets pulje til projektet "%(title)s".\n\n'
                "Vi kontakter jer om, hvornår og hvordan projektet afrapporteres."
            )
        elif outcome == Decision.Outcome.REFUSED:
            body = _(
                'Arbejdsmarkedsudvalget har på mødet den %(date)s behandlet jeres ansøgning om %(applied)s til projektet "%(title)s" '
                "og har desværre givet afslag."
            )
        else:
            body = _(
                'Arbejdsmarkedsudvalget har på mødet den %(date)s udsat behandlingen af jeres ansøgning til projektet "%(title)s". '
                "Ansøgningen behandles igen på et senere møde."
            )
        return body % values + "\n\n" + _("Med venlig hilsen\nArbejdsmarkedsafdelingen, Norddjurs Kommune")


def notify(decision: Decision) -> bool:
    """E-mail the decision's message to the applicant's contact person; False when there is no address
    (registered without one, or deleted by the schedule)."""
    application = decision.application
    if not application.contact_email:
        return False
    with translation.override("da"):
        subject = _("Afgørelse på jeres ansøgning til Arbejdsmarkedsudvalgets pulje: %(title)s") % {
            "title": application.title
        }
    send_mail(subject, decision.message, None, [application.contact_email])
    Decision.objects.filter(pk=decision.pk).update(notified_at=timezone.now())
    return True


def file_follow_up(follow_up: FollowUp, report: str, user) -> FollowUp:
    follow_up.report, follow_up.filed_at, follow_up.filed_by = report, timezone.now(), user
    follow_up.save(update_fields=["report", "filed_at", "filed_by"])
    return follow_up
