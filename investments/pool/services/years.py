"""Changing a year's amount: never below what the year has granted (with the same lock as decide)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from investments.pool.models import PoolYear
from investments.pool.services.decisions import DecisionRefused, kr
from investments.pool.services.rounds import ensure_year, granted_sum


@transaction.atomic
def set_amount(year: int, amount: Decimal) -> PoolYear:
    """The year's amount (the year and its four rounds are made if missing)."""
    ensure_year(year)
    pool_year = PoolYear.objects.select_for_update().get(year=year)
    granted = granted_sum(pool_year)
    if amount < granted:
        raise DecisionRefused(
            _("Puljen for %(year)s har allerede bevilget %(granted)s; beløbet kan ikke være mindre.")
            % {"year": year, "granted": kr(granted)}
        )
    pool_year.amount = amount
    pool_year.save(update_fields=["amount"])
    return pool_year
