from django.core.management.base import BaseCommand

from events.services import seed as events_seed
from investments.services import seed as investments_seed
from plans.services import seed as plans_seed
from portal.seeding import SeedReport

LOADERS = [("Beskæftigelsesplan", plans_seed.load), ("Investeringer", investments_seed.load), ("Arrangementer", events_seed.load)]


class Command(BaseCommand):
    help = "Indlæser grunddata fra dokumenterne (beskæftigelsesplan, investeringer, arrangementer). Kan køres flere gange."

    def handle(self, *args, **options):
        total = SeedReport()
        for label, load in LOADERS:
            report = load()
            total.add(report)
            self.stdout.write(f"{label}: {report.created} oprettet, {report.updated} opdateret, {report.unchanged} uændret")
        self.stdout.write(self.style.SUCCESS(f"I alt {total.changed} ændringer."))
