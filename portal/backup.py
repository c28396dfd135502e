"""Backups that restore: the PostgreSQL database (pg_dump, custom format) and the uploaded files.

A backup is a directory ``udvalgsportalen-<UTC time>/`` holding

- ``database.dump``: ``pg_dump --format=custom --no-owner --no-privileges``;
- ``media.tar.gz``: everything under MEDIA_ROOT (extracts and meeting documents);
- ``manifest.json``: when, the versions (portal, Django, PostgreSQL server, pg_dump, the newest
  migration of each app), every table's row count, a SHA-256 digest of the observations, the
  number of uploaded files and each part's size and SHA-256.

The row counts and the digest are read in the same snapshot that pg_dump dumps
(``pg_export_snapshot``), so they describe the dump exactly even while the portal is in use. The
directory is written under a temporary name and renamed when complete: a backup that is there
is whole. ``restore`` checks the parts' checksums first, restores into an empty database only,
and then compares every table's row count and the observations' digest with the manifest.
"""

import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
import psycopg2

FORMAT = 1
NAME_PREFIX = "udvalgsportalen-"
NAME_PATTERN = re.compile(r"^udvalgsportalen-\d{8}T\d{6}Z$")
DATABASE_PART = "database.dump"
MEDIA_PART = "media.tar.gz"
MANIFEST = "manifest.json"
OBSERVATIONS_TABLE = "plans_observation"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Danish, for the operator."""


@dataclass
class Database:
    """Where a database is, as pg_dump/pg_restore and psycopg2 need it."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> "Database":
        if not settings_dict["ENGINE"].endswith("postgresql"):
            raise BackupError(
                "Backup og gendannelse kræver PostgreSQL (DATABASE_URL); SQLite-filen i var/ kopieres, mens portalen er stoppet."
            )
        return cls(
            name=settings_dict["NAME"],
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
        )

    @classmethod
    def from_url(cls, url: str) -> "Database":
        import dj_database_url

        return cls.from_settings(dj_database_url.parse(url))

    def connect(self):
        params = {
            "dbname": self.name,
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "connect_timeout": 10,
        }
        return psycopg2.connect(**{k: v for k, v in params.items() if v})

    def env(self) -> dict:
        """libpq's variables for the PostgreSQL tools: the password never appears on a command line."""
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
        ):
            if value:
                env[key] = value
            else:
                env.pop(key, None)
        return env


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} findes ikke på PATH; installér PostgreSQL-klienten (Debian: postgresql-client).")
    return path


def _tool_version(name: str) -> str:
    return subprocess.run([_tool(name), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def table_counts(cursor) -> dict[str, int]:
    """Every table of the public schema with its number of rows."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def observations_digest(connection) -> str:
    """SHA-256 over every observation row as PostgreSQL writes it, in id order."""
    digest = hashlib.sha256()
    with connection.cursor(name="observations_digest") as cursor:
        cursor.itersize = 20000
        cursor.execute(f"SELECT t::text FROM {OBSERVATIONS_TABLE} t ORDER BY t.id")
        for (row,) in cursor:
            digest.update(row.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def _portal_version() -> str:
    try:
        return importlib.metadata.version("udvalgsportalen")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


# --- backup ---------------------------------------------------------------------------------------


def create(database: Database, media_root: Path, target_dir: Path, now: datetime | None = None) -> Path:
    """Write a complete backup into a new directory under target_dir and return its path."""
    pg_dump = _tool("pg_dump")
    media_root = Path(media_root).resolve()
    target_dir = Path(target_dir).resolve()
    if target_dir == media_root or media_root in target_dir.parents:
        raise BackupError("Backupmappen må ikke ligge i MEDIA_ROOT (den kom så med i sin egen backup).")
    now = now or datetime.now(UTC)
    name = NAME_PREFIX + now.strftime("%Y%m%dT%H%M%SZ")
    final = target_dir / name
    if final.exists():
        raise BackupError(f"{final} findes allerede.")
    partial = target_dir / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        manifest = _dump(database, pg_dump, partial)
        files = _media_files(media_root)
        with tarfile.open(partial / MEDIA_PART, "w:gz") as archive:
            for path in files:
                archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
        manifest["media"] = {"files": len(files)}
        manifest["parts"] = {
            part: {"bytes": (partial / part).stat().st_size, "sha256": sha256_of(partial / part)}
            for part in (DATABASE_PART, MEDIA_PART)
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _dump(database: Database, pg_dump: str, directory: Path) -> dict:
    """pg_dump in a snapshot that also gives the row counts and the digest; returns the manifest's start."""
    connection = database.connect()
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            dump = subprocess.Popen(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={directory / DATABASE_PART}",
                ],
                env=database.env(),
                stderr=subprocess.PIPE,
                text=True,
            )
            counts = table_counts(cursor)
            migrations = _migrations(cursor)
        digest = observations_digest(connection) if OBSERVATIONS_TABLE in counts else None
        # The snapshot lives as long as this transaction: pg_dump must be done before it ends.
        _, errors = dump.communicate()
        if dump.returncode != 0:
            raise BackupError(f"pg_dump fejlede: {errors.strip()}")
    finally:
        connection.rollback()
        connection.close()
    return {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {
            "portal": _portal_version(),
            "django": django.get_version(),
            "python": platform.python_version(),
            "postgresql_server": server_version,
            "pg_dump": _tool_version("pg_dump"),
            "migrations": migrations,
        },
        "database": {"name": database.name, "tables": counts, "observations_sha256": digest},
    }


def prune(target_dir: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest complete backups in target_dir; returns what was deleted."""
    backups = sorted(
        p for p in Path(target_dir).iterdir() if p.is_dir() and NAME_PATTERN.match(p.name) and (p / MANIFEST).exists()
    )
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed


# --- restore --------------------------------------------------------------------------------------


def read_manifest(backup: Path) -> dict:
    backup = Path(backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{backup} er ikke en backup (der er ingen {MANIFEST}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backupformatet {manifest.get('format')!r} kendes ikke (forventet {FORMAT}).")
    return manifest


def verify_parts(backup: Path, manifest: dict) -> None:
    """Every part is there with the size and SHA-256 the manifest gives."""
    for part, expected in manifest["parts"].items():
        path = Path(backup) / part
        if not path.exists():
            raise BackupError(f"Backuppen er ufuldstændig: {part} mangler.")
        if path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"Backuppen er beskadiget: {part} har ikke den kontrolsum, manifestet angiver.")


@dataclass
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    seconds: float


def restore(backup: Path, database: Database, media_root: Path) -> RestoreResult:
    """Restore the backup into an empty database and an empty media folder, then verify it."""
    started = time.monotonic()
    backup = Path(backup)
    manifest = read_manifest(backup)
    verify_parts(backup, manifest)
    pg_restore = _tool("pg_restore")
    media_root = Path(media_root)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media_root}) er ikke tom; gendan til en tom mappe.")
    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            if cursor.fetchone()[0]:
                raise BackupError(f"Databasen {database.name} er ikke tom. Gendan til en ny, tom database (createdb).")
    finally:
        connection.close()

    result = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database.name}",
            str(backup / DATABASE_PART),
        ],
        env=database.env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore fejlede (databasen er uændret): {result.stderr.strip()}")

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / MEDIA_PART, "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, no "..", no devices
    media_files = len(_media_files(media_root))

    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            counts = table_counts(cursor)
        digest = observations_digest(connection) if OBSERVATIONS_TABLE in counts else None
    finally:
        connection.close()
    expected = manifest["database"]["tables"]
    if counts != expected:
        differences = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"Den gendannede database afviger fra manifestet i tabellerne: {', '.join(differences)}.")
    if digest != manifest["database"]["observations_sha256"]:
        raise BackupError("Observationerne i den gendannede database afviger fra manifestets kontrolsum.")
    if media_files != manifest["media"]["files"]:
        raise BackupError(f"{media_files} filer gendannet, manifestet angiver {manifest['media']['files']}.")
    return RestoreResult(
        tables=len(counts), rows=sum(counts.values()), media_files=media_files, seconds=time.monotonic() - started
    )
