"""The committee's view of the fairs: aggregate figures only, never names."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from events.fairs.models import Association, CitizenSignup, Fair, FairSeries


@dataclass
class FairFigures:
    fair: Fair
    confirmed: int = 0
    waiting: int = 0
    cancelled: int = 0
    attended: int = 0
    by_group: Counter = field(default_factory=Counter)  # confirmed sign-ups per benefit group
    associations: int = 0

    @property
    def seats_left(self) -> int | None:
        return None if self.fair.capacity is None else max(self.fair.capacity - self.confirmed, 0)


def for_series(series: FairSeries) -> list[FairFigures]:
    """Figures per fair in two queries, whatever the number of sign-ups."""
    fairs = {f.pk: FairFigures(f) for f in series.fairs.all()}
    rows = (
        CitizenSignup.objects.filter(fair__series=series)
        .values("fair_id", "status", "benefit_group", "attended")
        .annotate(n=Count("id"))
    )
    for row in rows:
        figures = fairs[row["fair_id"]]
        if row["status"] == CitizenSignup.Status.CONFIRMED:
            figures.confirmed += row["n"]
            figures.by_group[row["benefit_group"]] += row["n"]
            figures.attended += row["n"] if row["attended"] else 0
        elif row["status"] == CitizenSignup.Status.WAITING:
            figures.waiting += row["n"]
        else:
            figures.cancelled += row["n"]
    registered = Association.objects.filter(series=series, status=Association.Status.REGISTERED)
    for row in registered.values("fairs").annotate(n=Count("id")):
        if row["fairs"] in fairs:
            fairs[row["fairs"]].associations = row["n"]
    return list(fairs.values())
