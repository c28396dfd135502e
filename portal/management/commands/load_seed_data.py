from django.core.management.base import BaseCommand
from django.db import transaction

from portal.registry import registry
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
        # Each app registers its loader in its AppConfig.ready (portal.registry): plans, investments, events.
        for _order, load in sorted(registry.seed_loaders, key=lambda loader: loader[0]):
            load(seeder)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{seeder.created} oprettet, {seeder.updated} opdateret, {seeder.unchanged} uændret. "
                f"I alt {seeder.changed} ændringer."
            )
