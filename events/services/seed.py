"""The events app's seed loader (registered in EventsConfig.ready): one file, read once, for both sub-domains."""

from pathlib import Path

from django.db import transaction

from events.fairs.services import seed as fairs_seed
from events.project.services import seed as project_seed
from portal.seeding import Seeder, read_seed_file

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "arrangementer.json"


@transaction.atomic
def load(seeder: Seeder, path: Path = SEED_FILE) -> None:
    data = read_seed_file(path)
    fairs_seed.load(seeder, data["fair_series"])
    project_seed.load(seeder, data["project"])
