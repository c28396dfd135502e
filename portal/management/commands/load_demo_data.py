from django.core.management.base import BaseCommand, CommandError

from portal import demo


class Command(BaseCommand):
    help = (
        "Indlæser demodata (syntetiske tal for alle mål til og med sidste hele kvartal, en benchmarkrangliste og "
        "en messe åben for tilmelding) ved siden af grunddataene. Kun når DEBUG er slået til. Kan køres flere gange; "
        "fjernes med remove_demo_data."
    )

    def handle(self, *args, **options):
        try:
            demo.load()
        except demo.DemoDataRefused as refused:
            raise CommandError(str(refused)) from None
        if options["verbosity"] >= 1:
            self.stdout.write("Demodata er indlæst. Hver side siger 'Demodata – ikke rigtige tal'.")
