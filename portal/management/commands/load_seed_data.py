from django.core.management.base import BaseCommand
from django.db import transaction

from events.services import seed as events_seed
from investments.services import seed as investments_seed
from plans.services import seed as plans_seed
from portal.seeding import Seeder


class Command(BaseCommand):
    help = (
        "Indlæser grunddata fra dokumenterne (beskæftigelsesplan, investeringer, arrangementer). "
        "Kan køres flere gange; eksisterende rækker bevares, medmindre --overwrite angives."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite", action="store_true", help="Sæt eksisterende rækker tilbage til grunddatafilernes værdier."
        )

    @transaction.atomic
    def handle(self, *args, overwrite=False, **options):
        seeder = Seeder(overwrite=overwrite)
        for load in (plans_seed.load, investments_seed.load, events_seed.load):
            load(seeder)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{seeder.created} oprettet, {seeder.updated} opdateret, {seeder.unchanged} uændret. "
                f"I alt {seeder.changed} ændringer."
            )
