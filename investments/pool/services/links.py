"""What the pool adds to other pages through portal.registry: its rounds on the årshjul and its grants on
the plan goals' pages (plans reads both without importing investments)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from investments.pool.models import Decision, PoolRound
from investments.pool.services.decisions import kr
from portal.registry import CalendarEntry

DEADLINE, MEETING = "puljefrist", "puljemoede"
# The årshjul's fixed event for the same deadline (plans' migration 0009, from the 2022 wheel): a round's
# dated deadline takes its place in its month, in any language (portal.registry.calendar).
FIXED_DEADLINE = "Frist for ansøgninger til udvalgets pulje"
KIND_LABELS = {DEADLINE: gettext_noop("Puljefrist"), MEETING: gettext_noop("Puljens møde")}


def calendar_entries(year: int) -> list[CalendarEntry]:
    """The year's application deadlines and the meetings that decide them: one query."""
    entries = []
    for pool_round in PoolRound.objects.filter(pool_year__year=year).select_related("pool_year"):
        url = reverse("investments:pool_round", args=[pool_round.pk])
        entries.append(
            CalendarEntry(
                f"puljefrist-{pool_round.pk}",
                _("Frist for ansøgninger til udvalgets pulje"),
                year,
                pool_round.deadline.month,
                DEADLINE,
                _(KIND_LABELS[DEADLINE]),
                pool_round.deadline,
                url,
                replaces=FIXED_DEADLINE,
            )
        )
        if pool_round.meeting_date and pool_round.meeting_date.year == year:
            entries.append(
                CalendarEntry(
                    f"puljemoede-{pool_round.pk}",
                    _("Udvalget behandler ansøgningerne til puljen"),
                    year,
                    pool_round.meeting_date.month,
                    MEETING,
                    _(KIND_LABELS[MEETING]),
                    pool_round.meeting_date,
                    url,
                )
            )
    return entries


def goal_links(year: int, code: str) -> list[tuple[str, str]]:
    """The grants whose application names goal `code` of the plan of `year`: one query."""
    grants = Decision.objects.filter(outcome=Decision.Outcome.GRANTED, application__goal_year=year).select_related(
        "application"
    )
    return [
        (
            _("%(title)s (%(organisation)s): %(amount)s bevilget %(date)s")
            % {
                "title": d.application.title,
                "organisation": d.application.organisation,
                "amount": kr(d.granted_amount),
                "date": date_format(d.meeting_date),
            },
            reverse("investments:pool_application", args=[d.application_id]),
        )
        for d in grants.order_by("meeting_date", "pk")
        if code in d.application.goal_code_list
    ]
