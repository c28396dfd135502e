from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal import backup as backups


class Command(BaseCommand):
    help = (
        "Gendanner en backup (fra manage.py backup) i en tom database og en tom MEDIA_ROOT og kontrollerer "
        "bagefter hver tabels antal rækker og observationernes kontrolsum mod manifestet. En krypteret backup "
        "dekrypteres med BACKUP_ENCRYPTION_KEY."
    )
    requires_system_checks = []  # the target database is empty until the restore is done

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="Backupmappen (udvalgsportalen-<tidspunkt>).")
        parser.add_argument("--database-url", default=None, help="Den tomme database (standard: DATABASE_URL).")
        parser.add_argument(
            "--media-root", type=Path, default=None, help="Den tomme mappe til filerne (standard: MEDIA_ROOT)."
        )

    def handle(self, *args, backup=None, database_url=None, media_root=None, **options):
        try:
            if database_url:
                database = backups.Database.from_url(database_url)
            else:
                database = backups.Database.from_settings(connections["default"].settings_dict)
            result = backups.restore(
                backup,
                database,
                media_root or Path(settings.MEDIA_ROOT),
                encryption_key=settings.BACKUP_ENCRYPTION_KEY,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Gendannet {backup.name} i databasen {database.name} på {result.seconds:.1f} s: {result.tables} tabeller og "
                f"{result.rows} rækker som i manifestet, observationernes kontrolsum stemmer, {result.media_files} filer."
            )
