"""The local key figures of the committee introduction (2020), loaded by manage.py load_seed_data."""

from pathlib import Path

from plans.keyfigures.models import LocalKeyFigure
from portal.seeding import Seeder, read_seed_file

SEED_FILE = Path(__file__).resolve().parent / "seed.json"


def load(seeder: Seeder, path: Path = SEED_FILE) -> None:
    """Create the figures that are missing. A figure an administrator has entered or changed in the portal
    (entered_by set) is never set back, not even with --overwrite."""
    for item in read_seed_file(path)["local_key_figures"]:
        lookup = {"kind": item["kind"], "year": item["year"]}
        if LocalKeyFigure.objects.filter(**lookup, entered_by__isnull=False).exists():
            seeder.unchanged += 1
            continue
        seeder.upsert(LocalKeyFigure, lookup, {"value": item["value"], "source": item["source"]})
