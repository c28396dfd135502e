from django.core.management.base import BaseCommand, CommandError

from plans.imports import fetching


class Command(BaseCommand):
    help = (
        "Henter nye tal fra Jobindsats' API for hver tabel, en aktiv kobling nævner, og indlæser dem som en upload. "
        "Nøglen læses fra JOBINDSATS_API_KEY eller JOBINDSATS_API_KEY_FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--table",
            action="append",
            default=[],
            metavar="ID",
            help="Kun denne tabel, fx Y30R21 (kan gentages). Ellers alle tabeller med en kobling.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hvilke perioder der ville blive hentet, men hent og ændr intet."
        )

    def handle(self, *args, table, dry_run, **options):
        result = fetching.fetch(table or None, dry_run=dry_run)
        if result.skipped:
            self.stdout.write(result.skipped)
            return
        for item in result.tables:
            line = f"{item.table}: {item.message}"
            (self.stderr if item.state == "failed" else self.stdout).write(line)
        if result.failed:
            raise CommandError(f"{len(result.failed)} af {len(result.tables)} tabeller kunne ikke hentes.")
