"""Investments' lines of "Nyt siden sidst" (portal.digest), registered with portal.registry.digest_source
in InvestmentsConfig.ready: the realised savings entered since a date, per proposal (aggregate figures)."""

from datetime import date, datetime

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from investments.models import Realisation
from portal.registry import DigestLine
from portal.roles import Role


def lines(since: datetime, today: date, until: date) -> list[DigestLine]:
    """Per proposal: how many months of realised savings were entered since `since`, up to which month (one query)."""
    rows = (
        Realisation.objects.filter(entered_at__gte=since)
        .values("proposal__number", "proposal__title")
        .annotate(n=Count("id"), newest=Max("month"), at=Max("entered_at"))
        .order_by("-at")
    )
    return [
        DigestLine(
            "figures",
            _("Forslag %(number)s: %(title)s: realiseret besparelse for %(n)d måned(er), senest %(month)s")
            % {
                "number": row["proposal__number"],
                "title": row["proposal__title"],
                "n": row["n"],
                "month": date_format(row["newest"], "YEAR_MONTH_FORMAT"),
            },
            reverse("investments:proposal_detail", args=[row["proposal__number"]]),
            row["at"].date(),
            Role.MEMBER,
        )
        for row in rows
    ]
