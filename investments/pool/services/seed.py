"""The pool of the current year, with the amount and deadlines the committee introduction names (seed 004).

A year that exists is left alone (its amount may have been edited); with `overwrite` its amount is set back
to the document's figure."""

from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from investments.pool.models import DEADLINE_MONTHS, PoolYear
from investments.pool.services.rounds import ensure_year
from portal.seeding import Seeder, read_seed_file

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "pulje.json"


@transaction.atomic
def load(seeder: Seeder, path: Path = SEED_FILE) -> None:
    data = read_seed_file(path)
    if tuple(data["deadline_months"]) != DEADLINE_MONTHS:
        raise ValueError(f"{path.name}: the deadlines' months differ from investments.pool.models.DEADLINE_MONTHS")
    amount = Decimal(data["amount"])
    year = timezone.localdate().year
    existing = PoolYear.objects.filter(year=year).first()
    if existing is None:
        ensure_year(year, amount)
        seeder.created += 1
    elif seeder.overwrite and existing.amount != amount:
        existing.amount = amount
        existing.save(update_fields=["amount"])
        seeder.updated += 1
    else:
        seeder.unchanged += 1
