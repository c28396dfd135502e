import signal
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plans.imports import service
from plans.imports.models import DataImport
from plans.services import status


def _at_the_limit(signum, frame):
    raise SoftTimeLimitExceeded()


class Command(BaseCommand):
    help = (
        "Indlæser udtræk fra jobindsats.dk (CSV, XLSX eller JSON) som på siden Dataimport, men med det samme, "
        "med samme grænser for størrelse, tid og hukommelse som workeren."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--table", default="", help="Jobindsats-tabellen, fx Y08A02 (ellers læses den af filnavnet)."
        )

    def handle(self, *args, files, table, **options):
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path} findes ikke.")
            if path.stat().st_size > settings.IMPORT_MAX_BYTES:
                raise CommandError(
                    f"{path} er {path.stat().st_size // 1024 // 1024} MB; en fil må højst være "
                    f"{settings.IMPORT_MAX_BYTES // 1024 // 1024} MB (IMPORT_MAX_MB). Del udtrækket op."
                )
        failed = 0
        for path in files:
            with path.open("rb") as handle:
                record = service.create(handle, user=None, original_name=path.name, table=table)
            record, touched = self._process(record.pk)
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

    def _process(self, import_id: int) -> tuple[DataImport, list[int]]:
        """service.process under the worker's soft time limit (the memory limit is process's own)."""
        previous = signal.signal(signal.SIGALRM, _at_the_limit)
        signal.setitimer(signal.ITIMER_REAL, settings.IMPORT_TIME_LIMIT_SECONDS)
        try:
            return service.process(import_id)
        except SoftTimeLimitExceeded:  # outside the reading (claiming, or the final read), as in tasks.run_import
            service.fail(import_id, [service.timed_out_message()])
            return DataImport.objects.get(pk=import_id), []
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
