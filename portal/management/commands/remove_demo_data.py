from django.core.management.base import BaseCommand

from portal import demo


class Command(BaseCommand):
    help = "Fjerner demodata fra load_demo_data (kun dem: grunddata og rigtige tal bliver). Kan køres flere gange."

    def handle(self, *args, **options):
        demo.remove()
        if options["verbosity"] >= 1:
            self.stdout.write("Demodata er fjernet.")
