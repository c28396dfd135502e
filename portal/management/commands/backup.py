from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal import backup


class Command(BaseCommand):
    help = (
        "Tager en backup af databasen (pg_dump, custom format, uden sessioner og loginlogge) og de uploadede filer "
        "(MEDIA_ROOT) med et manifest (tidspunkt, versioner, antal rækker i hver tabel, kontrolsummer) i en ny mappe "
        "under BACKUP_DIR, kun læsbar for ejeren. Krypteres, når BACKUP_ENCRYPTION_KEY er sat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Mappen backuppen lægges i (standard: BACKUP_DIR).")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Behold kun de N nyeste backups i mappen (standard: BACKUP_KEEP; 0 sletter ingen).",
        )

    def handle(self, *args, dir=None, keep=None, **options):
        target = dir or Path(settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP if keep is None else keep
        try:
            database = backup.Database.from_settings(connections["default"].settings_dict)
            path = backup.create(
                database, Path(settings.MEDIA_ROOT), target, encryption_key=settings.BACKUP_ENCRYPTION_KEY
            )
            pruned = backup.prune(target, keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = backup.read_manifest(path)
        tables = manifest["database"]["tables"]
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Backup færdig: {len(tables)} tabeller, {sum(tables.values())} rækker, {manifest['media']['files']} uploadede filer, "
                f"{sum(p['bytes'] for p in manifest['parts'].values()) / 1e6:.1f} MB"
                + (", krypteret" if manifest["encryption"] else "")
            )
            for old in pruned:
                self.stdout.write(f"  slettet (ældre end de {keep} nyeste): {old.name}")
        return str(path)  # the last line of the output, for scripts
