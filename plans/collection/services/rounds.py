"""Collection rounds: what a round asks for and when it is due, starting one, and the board.

periods_within(period, frequency)   the goal's follow-up periods inside the round's period
due_date(period, follow_ups)        when a period's figure is due
start(period, user, site_url)       a new round with an item per local indicator and period
items(round, owner=None)            the round's items with their owner and whether they are received
board(round, today)                 the items per goal: received, missing, overdue and who owes them
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from plans.collection.models import CollectionItem, CollectionRound
from plans.collection.services.ownership import local_indicators
from plans.models import Goal, Observation, Plan
from plans.wheel.models import WheelEvent
from portal.periods import Period, add_months, half_year_of, parse_period

# A figure can be counted once its period has ended; its owner has this many days to deliver it.
DELIVERY_DAYS = 30
# The årshjul's half-year follow-up (a fixed event "Halvårlig opfølgning") that reports a half-year lies
# within this many months after the half-year ends.
FOLLOW_UP_WINDOW_MONTHS = 6

_CODES = {
    Goal.Frequency.QUARTERLY: lambda year: [f"{year}Q{q}" for q in range(1, 5)],
    Goal.Frequency.HALF_YEARLY: lambda year: [f"{year}H1", f"{year}H2"],
    Goal.Frequency.YEARLY: lambda year: [str(year)],
}


def periods_within(period: Period, frequency: str) -> list[Period]:
    """The goal's follow-up periods that end inside the round's period: a half-year round asks a quarterly
    goal for two quarters, a half-yearly goal for the half-year, and a yearly goal for its year in the
    second half-year only. A quarter round asks only the quarterly goals (the half-year rounds, which the
    half-year follow-up reports, ask the others)."""
    if period.kind == "quarter" and frequency != Goal.Frequency.QUARTERLY:
        return []
    found = (parse_period(code) for code in _CODES[frequency](period.start.year))
    return [p for p in found if period.start <= p.end <= period.end]


def follow_up_days(years) -> list[date]:
    """The årshjul's fixed half-year follow-ups in these years (an event without a day: its month's first)."""
    days = []
    for event in WheelEvent.objects.filter(kind=WheelEvent.Kind.FOLLOW_UP):
        for year in years:
            day = min(event.day or 1, calendar.monthrange(year, event.month)[1])
            days.append(date(year, event.month, day))
    return sorted(days)


def due_date(period: Period, follow_ups: list[date]) -> date:
    """A period that closes a half-year is due at the årshjul's follow-up of that half-year, when the wheel
    has one; any other period (and any without a follow-up in the wheel) DELIVERY_DAYS after it ends."""
    half = half_year_of(period.end)
    if period.end == half.end:
        limit = add_months(half.end, FOLLOW_UP_WINDOW_MONTHS)
        meeting = next((day for day in follow_ups if half.end < day <= limit), None)
        if meeting is not None:
            return meeting
    return period.end + timedelta(days=DELIVERY_DAYS)


def round_periods(today: date, back_years: int = 2) -> list[Period]:
    """The periods an administrator may start a round for: half-years and quarters, newest first,
    from `back_years` years back to the current ones."""
    periods = []
    for year in range(today.year - back_years, today.year + 1):
        periods += [
            parse_period(c)
            for c in (*_CODES[Goal.Frequency.HALF_YEARLY](year), *_CODES[Goal.Frequency.QUARTERLY](year))
        ]
    return sorted((p for p in periods if p.start <= today), key=lambda p: (p.end, p.kind == "quarter"), reverse=True)


@transaction.atomic
def start(period: Period, user, site_url: str) -> tuple[CollectionRound, bool]:
    """The round for `period`, and whether it was started now (a round is started once: the period is unique).

    An item per local indicator of the plan in force at the period's end and each of its goal's periods
    inside the round's period, with its due date.
    """
    found, created = CollectionRound.objects.get_or_create(
        period_code=period.code, defaults={"started_by": user, "site_url": site_url[:200]}
    )
    if not created:
        return found, False
    plan = Plan.objects.in_force(period.end)
    follow_ups = follow_up_days([period.end.year, period.end.year + 1])
    CollectionItem.objects.bulk_create(
        [
            CollectionItem(round=found, indicator=indicator, period_code=p.code, due_on=due_date(p, follow_ups))
            for indicator in (local_indicators(plan) if plan else [])
            for p in periods_within(period, indicator.goal.frequency)
        ]
    )
    return found, True


def items(round_: CollectionRound | None = None, owner=None) -> QuerySet[CollectionItem]:
    """Items with their indicator, goal and owner, each annotated `received` (its figure exists). One query."""
    figure = Observation.objects.filter(
        indicator=OuterRef("indicator"), area=settings.PORTAL_AREA, period_code=OuterRef("period_code")
    )
    found = CollectionItem.objects.select_related("round", "indicator__goal__plan", "indicator__data_owner__user")
    if round_ is not None:
        found = found.filter(round=round_)
    if owner is not None:
        found = found.filter(indicator__data_owner__user=owner)
    return found.annotate(received=Exists(figure)).order_by(
        "-round__period_code", "indicator__goal__major", "indicator__goal__minor", "indicator__position", "period_code"
    )


def owner_of(item: CollectionItem):
    """The item's indicator's data owner (a user), or None (the items() query has loaded it)."""
    ownership = getattr(item.indicator, "data_owner", None)
    return ownership.user if ownership else None


def is_overdue(item: CollectionItem, today: date) -> bool:
    return not item.received and item.due_on < today


@dataclass
class GoalRow:
    goal: Goal
    items: list[CollectionItem] = field(default_factory=list)
    received: int = 0
    missing: int = 0
    overdue: int = 0
    owing: list = field(default_factory=list)  # the owners (users) of the missing items; None: no owner


def board(round_: CollectionRound, today: date) -> list[GoalRow]:
    """The round's items per goal, in the plan's order (one query)."""
    rows: dict[int, GoalRow] = {}
    owing = defaultdict(dict)
    for item in items(round_):
        goal = item.indicator.goal
        row = rows.setdefault(goal.pk, GoalRow(goal))
        item.owner, item.overdue = owner_of(item), is_overdue(item, today)
        row.items.append(item)
        if item.received:
            row.received += 1
        else:
            row.missing += 1
            row.overdue += item.overdue
            owing[goal.pk][item.owner.pk if item.owner else None] = item.owner
    for goal_id, row in rows.items():
        row.owing = list(owing[goal_id].values())
    return list(rows.values())
