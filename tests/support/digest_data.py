"""News for "Nyt siden sidst" (portal.digest): one of each kind, made as the portal makes them.

Shared by tests/portal/test_digest.py, tests/test_query_counts.py and the browser journey.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from events.models import Fair, FairSeries
from investments.models import Proposal, Realisation
from plans.models import CollectionItem, CollectionRound, DataImport, Goal, GoalComment, Indicator
from plans.services import status
from tests.support.plan_data import add, data_import

REMARK = "Ledigheden falder mere end ventet; forvaltningen følger op i næste kvartal."


@dataclass
class News:
    goal: Goal
    indicator: Indicator
    record: DataImport
    remark: GoalComment
    fair: Fair
    proposal: Proposal
    round: CollectionRound


def make_news(administrator, n: int = 1, offset: int = 0) -> News:
    """`n` goals of the 2024 plan with a new figure from an upload (and so a new status) and a remark, a
    coming fair, a month of realised savings and a collection round's item due in a week."""
    indicators = list(Indicator.objects.filter(goal__plan__year=2024).select_related("goal")[offset : offset + n])
    today = timezone.localdate()
    record = data_import(f"udtraek-{offset}.csv", administrator)
    record.observations_changed = n
    record.save()
    for indicator in indicators:
        add(indicator, f"{today.year - 1}H2", 50, 50, data_import=record)
        GoalComment.objects.create(
            goal=indicator.goal, period_code=f"{today.year - 1}H2", text=REMARK, author=administrator
        )
    status.refresh([i.id for i in indicators])
    fair = None
    for i in range(n):
        fair = Fair.objects.create(
            series=FairSeries.objects.get(), venue=f"Auning Bibliotek {offset + i}", date=today + timedelta(days=10 + i)
        )
    proposals = list(Proposal.objects.order_by("number"))
    for i in range(n):
        Realisation.objects.create(
            proposal=proposals[(offset + i) % len(proposals)],
            month=(today.replace(day=1) - timedelta(days=31 * (offset + i + 1))).replace(day=1),
            amount=Decimal("-0.1"),
            entered_by=administrator,
        )
    round_ = CollectionRound.objects.create(period_code=f"{today.year - 1 - offset}H1", site_url="http://testserver/")
    for indicator in indicators:
        CollectionItem.objects.create(
            round=round_, indicator=indicator, period_code=round_.period_code, due_on=today + timedelta(days=7)
        )
    return News(indicators[0].goal, indicators[0], record, GoalComment.objects.latest("id"), fair, proposals[0], round_)
