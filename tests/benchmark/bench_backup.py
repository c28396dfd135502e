"""Backup and restore benchmark: the goals benchmark's data (285,120 observations) on PostgreSQL.

    python tests/benchmark/bench_backup.py

Fills the benchmark database as bench_goals.py does (reused when it is already full), adds 200
uploaded files of 100 kB, takes a backup with `manage.py backup`, restores it into a new empty
database with `manage.py restore` (which checks every table's row count and the observations'
digest) and reports the seconds of each step and the backup's size: once plain and once
encrypted (BACKUP_ENCRYPTION_KEY), which adds the encryption, and the decryption before the restore.
"""

import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import DATABASES, ROOT, setup_django

FILES, FILE_BYTES = 200, 100_000


def main():
    scratch = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        run(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(scratch: Path):
    media = scratch / "media"
    media.mkdir()
    os.environ["MEDIA_ROOT"] = str(media)
    setup_django("postgres")
    import bench_goals
    from cryptography.fernet import Fernet
    from django.conf import settings

    from portal.backup import Database

    rows, generated = bench_goals.generate()
    for n in range(FILES):
        (media / "imports").mkdir(exist_ok=True)
        (media / "imports" / f"extract-{n:03d}.csv").write_bytes(os.urandom(FILE_BYTES // 2).hex().encode())
    source = Database.from_url(DATABASES["postgres"])
    results = {"observations": rows, "media_files": FILES}
    print(f"backup/restore benchmark: {rows:,} observations, {FILES} files of {FILE_BYTES // 1000} kB")
    for variant, key in (("plain", ""), ("encrypted", Fernet.generate_key().decode())):
        settings.BACKUP_ENCRYPTION_KEY = key
        backup_s, restore_s, size = backup_and_restore(scratch / variant, source)
        results[variant] = {
            "backup_s": round(backup_s, 1),
            "restore_s": round(restore_s, 1),
            "backup_mb": round(size / 1e6, 1),
        }
        print(f"  {variant:9} backup  {backup_s:6.1f} s   ({size / 1e6:.1f} MB)")
        print(
            f"  {variant:9} restore {restore_s:6.1f} s   (pg_restore into an empty database, files, the verification)"
        )
    (ROOT / "bench-results").mkdir(exist_ok=True)
    (ROOT / "bench-results" / "backup.json").write_text(json.dumps(results, indent=2))


def backup_and_restore(scratch: Path, source) -> tuple[float, float, int]:
    from django.core.management import call_command

    from portal.backup import Database

    started = time.perf_counter()
    path = Path(call_command("backup", dir=scratch / "backups", keep=0, verbosity=0))
    backup_s = time.perf_counter() - started
    size = sum(p.stat().st_size for p in path.iterdir())
    target = Database(
        name=f"bench_restore_{uuid.uuid4().hex[:8]}",
        host=source.host,
        port=source.port,
        user=source.user,
        password=source.password,
    )
    admin = Database(
        name="postgres", host=source.host, port=source.port, user=source.user, password=source.password
    ).connect()
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target.name}"')
    try:
        url = DATABASES["postgres"].rsplit("/", 1)[0] + "/" + target.name
        started = time.perf_counter()
        call_command("restore", str(path), database_url=url, media_root=scratch / "restored-media", verbosity=0)
        restore_s = time.perf_counter() - started
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.name}"')
        admin.close()
    return backup_s, restore_s, size


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
