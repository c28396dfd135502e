"""Events the tests build on."""

from datetime import timedelta

from django.utils import timezone

from events.models import Fair, FairSeries


def coming_fair(capacity: int | None = 2, days: int = 14) -> Fair:
    """A fair `days` ahead in the seeded series (its 2024 fairs are long over); no seat limit with capacity None."""
    return Fair.objects.create(
        series=FairSeries.objects.get(),
        venue="Grenaa Bibliotek",
        date=timezone.localdate() + timedelta(days=days),
        capacity=capacity,
    )
