"""The collection round's part of the demo data set: a round in progress for the current half-year.

    load(today)     the demo user 'dataansvarlig' (manage.py create_demo_users) owns every local indicator
                    without an owner; a round for the half-year that holds the last complete quarter: its
                    ended periods received (the plans part's figures, or entered here by that user where
                    one is missing), the periods still running not yet due. Idempotent.
    remove(today)   deletes exactly that: the demo user's figures with DEMO_SOURCE, the round marked by
                    DEMO_SITE_URL and no starter, and the demo user's indicator ownerships.

For portal.registry.demo_data, after the plans part (whose figures the entered ones continue).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User

from plans.collection.models import CollectionRound, DataOwner
from plans.collection.services import figures, ownership, rounds
from plans.models import Observation, Plan
from plans.services import status
from plans.services.demo import last_complete_quarter
from portal.periods import half_year_of

DEMO_USER = "dataansvarlig"
DEMO_SOURCE = "Demodata (syntetiske tal)"
DEMO_SITE_URL = "http://127.0.0.1:8000/"  # make run's address, so the demo's e-mail links work


def load(today: date) -> None:
    owner = User.objects.filter(username=DEMO_USER).first()
    plan = Plan.objects.in_force(today)
    if owner is None or plan is None:  # no demo users (DEMO_USERS off) or no plan: no round to show
        return
    for indicator in ownership.local_indicators(plan):
        DataOwner.objects.get_or_create(indicator=indicator, defaults={"user": owner})
    # Not the half-year of `today`: a figure for a period still running would be no figure at all, and a
    # round for an older half-year would leave its missing figures too old ("Mangler data").
    half = half_year_of(last_complete_quarter(today).end)
    if CollectionRound.objects.filter(period_code=half.code).exists():
        return  # a real round (or the demo's from an earlier run) is there already
    round_, _created = rounds.start(half, None, DEMO_SITE_URL)  # no starter, this address: the demo's round
    ended = [item for item in rounds.items(round_, owner=owner) if item.period.end < today and not item.received]
    _current, earlier = figures.known_values(ended)
    entries = []
    for item in ended:
        before = earlier.get(item.pk)
        value = before.value if before else Decimal("40" if item.indicator.unit == "pct" else "50")
        entries.append(figures.Entry(item, value, before.comparison if before else None, "", DEMO_SOURCE))
    figures.submit(entries, owner)


def remove(today: date) -> None:
    owner = User.objects.filter(username=DEMO_USER).first()
    if owner is None:
        return
    typed = Observation.objects.filter(entered_by=owner, source_note=DEMO_SOURCE, area=settings.PORTAL_AREA)
    indicator_ids = sorted(set(typed.values_list("indicator_id", flat=True)))
    typed.delete()
    CollectionRound.objects.filter(started_by=None, site_url=DEMO_SITE_URL).delete()  # with its items
    for ownership_row in DataOwner.objects.filter(user=owner):
        ownership_row.delete()  # one by one: the history keeps them
    if indicator_ids:
        status.refresh(indicator_ids)
