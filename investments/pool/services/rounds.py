"""The pool's years and rounds: the four deadlines, the open round, and the year's figures.

Default deadlines: the årshjul (seed 004, "Udvalgets pulje med 4 årlige frister (mar-jun-sep-dec)") and the
plans app's fixed wheel events name the months only, so a new year's rounds close on the last day of March,
June, September and December; administrators move a deadline and add the committee meeting per round.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from investments.pool.models import DEADLINE_MONTHS, Application, Decision, PoolRound, PoolYear


def default_deadlines(year: int) -> list[date]:
    return [date(year, month, calendar.monthrange(year, month)[1]) for month in DEADLINE_MONTHS]


@transaction.atomic
def ensure_year(year: int, amount: Decimal | None = None) -> PoolYear:
    """The pool of `year`, made with its four rounds if missing (an existing year is left as it is)."""
    pool_year, created = PoolYear.objects.get_or_create(
        year=year, defaults={} if amount is None else {"amount": amount}
    )
    if created:
        for deadline in default_deadlines(year):
            PoolRound.objects.create(pool_year=pool_year, deadline=deadline)
    return pool_year


def open_round(today: date) -> PoolRound | None:
    """The round that takes applications today: the first whose deadline has not passed."""
    return PoolRound.objects.select_related("pool_year").filter(deadline__gte=today).order_by("deadline").first()


def next_round_after(pool_round: PoolRound) -> PoolRound | None:
    return PoolRound.objects.filter(deadline__gt=pool_round.deadline).order_by("deadline").first()


def granted_sum(pool_year: PoolYear) -> Decimal:
    """What the year has granted: the sum of its grant decisions (never stored beside them)."""
    total = Decision.objects.filter(
        outcome=Decision.Outcome.GRANTED, application__round__pool_year=pool_year
    ).aggregate(total=Sum("granted_amount"))["total"]
    return total or Decimal(0)


@dataclass
class RoundFigures:
    round: PoolRound
    applications: int
    applied: Decimal
    granted: Decimal


@dataclass
class YearFigures:
    pool_year: PoolYear
    rounds: list[RoundFigures]

    @property
    def granted(self) -> Decimal:
        return sum((r.granted for r in self.rounds), Decimal(0))

    @property
    def applied(self) -> Decimal:
        return sum((r.applied for r in self.rounds), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return self.pool_year.amount - self.granted


def year_figures(pool_year: PoolYear) -> YearFigures:
    """Per round the applications, the amount applied for and granted: two queries."""
    granted = Q(applications__decisions__outcome=Decision.Outcome.GRANTED)
    rounds = pool_year.rounds.annotate(
        granted=Sum("applications__decisions__granted_amount", filter=granted),
    )
    applied = {
        row["round"]: row
        for row in Application.objects.filter(round__pool_year=pool_year)
        .values("round")
        .annotate(n=Count("pk"), applied=Sum("amount_applied"))
    }
    return YearFigures(
        pool_year,
        [
            RoundFigures(
                r,
                applied.get(r.pk, {}).get("n", 0),
                applied.get(r.pk, {}).get("applied") or Decimal(0),
                r.granted or Decimal(0),
            )
            for r in rounds
        ],
    )


@dataclass
class PoolSummary:
    """The pool as the investments overview shows it."""

    year: int
    amount: Decimal
    granted: Decimal
    next_deadline: date | None

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.granted


def summary(today: date) -> PoolSummary | None:
    """This year's pool and the next deadline: two queries; None without a pool this year."""
    pool_year = (
        PoolYear.objects.filter(year=today.year)
        .annotate(
            granted=Sum(
                "rounds__applications__decisions__granted_amount",
                filter=Q(rounds__applications__decisions__outcome=Decision.Outcome.GRANTED),
            )
        )
        .first()
    )
    if pool_year is None:
        return None
    next_round = PoolRound.objects.filter(deadline__gte=today).order_by("deadline").only("deadline").first()
    return PoolSummary(
        pool_year.year, pool_year.amount, pool_year.granted or Decimal(0), next_round.deadline if next_round else None
    )
