from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.imports import service
from plans.imports.models import DataImport
from plans.services import status


class Command(BaseCommand):
    help = "Indlæser udtræk fra jobindsats.dk (CSV, XLSX eller JSON) som på siden Dataimport, men med det samme."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--table", default="", help="Jobindsats-tabellen, fx Y08A02 (ellers læses den af filnavnet)."
        )

    def handle(self, *args, files, table, **options):
        failed = 0
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path} findes ikke.")
            with path.open("rb") as handle:
                record = service.create(handle, user=None, original_name=path.name, table=table)
            record, touched = service.process(record.pk)
            status.refresh(touched)
            if record.state == DataImport.State.DONE:
                self.stdout.write(
                    f"{path.name}: indlæst. Rækker brugt: {record.rows_imported}, sprunget over: {record.rows_skipped}, "
                    f"nye eller ændrede tal: {record.observations_changed}."
                )
                for note in record.notes:
                    self.stdout.write(f"  {note}")
            else:
                failed += 1
                self.stderr.write(f"{path.name}: fejlet.")
                for error in record.errors:
                    self.stderr.write(f"  {error}")
        if failed:
            raise CommandError(f"{failed} af {len(files)} filer kunne ikke indlæses.")
