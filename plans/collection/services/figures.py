"""A data owner's figures: what the form shows beside each field, and storing what they sent.

The figures take the path of a typed figure (plans.services.observations.store_typed: the value's history in
ObservationChange, the user on the observation), then one status refresh for all of them, which also
makes the cached pages out of date (plans.services.status.refresh bumps portal.cache), as an import does.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from plans.collection.models import CollectionItem
from plans.models import Observation
from plans.services import status
from plans.services.observations import store_typed
from portal.periods import Period, add_months, parse_period


def previous(period: Period) -> Period:
    """The period before, of the same kind (2026Q1 -> 2025Q4, 2026H1 -> 2025H2, 2026 -> 2025)."""
    months = {"quarter": 3, "half": 6, "year": 12}[period.kind]
    return parse_period(_code(period.kind, add_months(period.start, -months)))


def _code(kind: str, day: date) -> str:
    if kind == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{day.year}H{1 if day.month <= 6 else 2}"
    return str(day.year)


def known_values(items) -> tuple[dict, dict]:
    """({item id: its observation}, {item id: the previous period's observation}), in one query."""
    items = list(items)
    wanted = {}
    for item in items:
        wanted[item.pk] = (item.indicator_id, item.period_code, previous(item.period).code)
    if not wanted:
        return {}, {}
    condition = Q()
    for indicator_id, code, before in wanted.values():
        condition |= Q(indicator_id=indicator_id, period_code__in=[code, before])
    found = {
        (o.indicator_id, o.period_code): o
        for o in Observation.objects.filter(condition, area=settings.PORTAL_AREA).only(
            "indicator_id", "period_code", "value", "comparison", "source_note"
        )
    }
    current = {pk: found.get((i, code)) for pk, (i, code, _b) in wanted.items()}
    earlier = {pk: found.get((i, before)) for pk, (i, _c, before) in wanted.items()}
    return current, earlier


@dataclass(frozen=True)
class Entry:
    item: CollectionItem
    value: Decimal
    comparison: Decimal | None
    comment: str
    source: str


@transaction.atomic
def submit(entries: list[Entry], user) -> list[int]:
    """Store the figures as `user`'s and re-evaluate their indicators; returns the indicators' ids.

    Sent twice, the same figures change nothing: the items are locked first (so two submissions take
    turns), an observation is found by its unique key and updated, and an unchanged value writes no history.
    """
    if not entries:
        return []
    locked = {
        item.pk: item
        for item in CollectionItem.objects.select_for_update()
        .filter(pk__in=[e.item.pk for e in entries])
        .order_by("pk")
    }
    now = timezone.now()
    for entry in entries:
        item = locked[entry.item.pk]
        period = item.period
        observation = Observation.objects.filter(
            indicator_id=item.indicator_id, area=settings.PORTAL_AREA, period_code=period.code
        ).first() or Observation(
            indicator_id=item.indicator_id,
            area=settings.PORTAL_AREA,
            period_code=period.code,
            period_start=period.start,
            period_end=period.end,
        )
        observation.value, observation.comparison = entry.value, entry.comparison
        store_typed(observation, user, entry.source)
        item.comment, item.source, item.submitted_by, item.submitted_at = entry.comment, entry.source, user, now
        item.save(update_fields=["comment", "source", "submitted_by", "submitted_at"])
    indicator_ids = sorted({locked[e.item.pk].indicator_id for e in entries})
    status.refresh(indicator_ids)
    return indicator_ids
