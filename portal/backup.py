"""Backups that restore: the PostgreSQL database (pg_dump, custom format) and the uploaded files.

A backup is a directory ``udvalgsportalen-<UTC time>/`` holding

- ``database.dump``: ``pg_dump --format=custom --no-owner --no-privileges``, without the rows of
  the tables in EXCLUDED_DATA (sessions and django-axes' login records: live secrets or logs the
  portal rebuilds; their schema is kept, so a restore gives a working database);
- ``media.tar.gz``: everything under MEDIA_ROOT (extracts and meeting documents);
- ``manifest.json``: when, the versions (portal, Django, PostgreSQL server, pg_dump, the newest
  migration of each app), every table's row count, a SHA-256 digest of the observations, the
  number of uploaded files and each part's size and SHA-256.

With an encryption key (BACKUP_ENCRYPTION_KEY, a Fernet key) the two parts are written encrypted
as ``database.dump.enc`` and ``media.tar.gz.enc`` (see ``SealedWriter``); the manifest then gives
the encrypted files' sizes and checksums. The backup's directories are 0700 and its files 0600,
whatever the umask: the dump holds citizens' contact details and password hashes.

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
import struct
import subprocess
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
import psycopg2
from cryptography.fernet import Fernet, InvalidToken

FORMAT = 2  # 2: excluded tables and optional encryption; format 1 backups (plain, complete) still restore
READABLE_FORMATS = (1, 2)
NAME_PREFIX = "udvalgsportalen-"
NAME_PATTERN = re.compile(r"^udvalgsportalen-\d{8}T\d{6}Z$")
DATABASE_PART = "database.dump"
MEDIA_PART = "media.tar.gz"
ENCRYPTED_SUFFIX = ".enc"
MANIFEST = "manifest.json"
OBSERVATIONS_TABLE = "plans_observation"
# Rows never worth restoring and dangerous to keep: a session key is a login, axes' records are
# addresses and usernames kept for the lockout only. Their tables are dumped empty.
EXCLUDED_DATA = (
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
)
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
ENCRYPTION = "fernet-chunks-1"
ENCRYPTION_MAGIC = b"udvalgsportalen backup, fernet-chunks-1\n"
CHUNK_BYTES = 16 * 1024 * 1024  # Fernet seals whole messages: a part is sealed 16 MiB at a time
_CHUNK_HEADER = struct.Struct(">Q?")  # the chunk's number and whether it is the last one


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


def _private_dir(path: Path) -> None:
    """Create path (and its parents) as 0700; chmod, because mkdir's mode goes through the umask."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)


def _private_file(path: Path):
    """A new file opened for writing, 0600 from its first byte whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)
    return os.fdopen(descriptor, "wb")


# --- encryption -----------------------------------------------------------------------------------


def fernet(key: str) -> Fernet:
    try:
        return Fernet(key.strip().encode())
    except ValueError:
        raise BackupError(
            "BACKUP_ENCRYPTION_KEY er ikke en gyldig nøgle (32 byte i URL-sikker base64, som Fernet.generate_key() giver)."
        ) from None


class SealedWriter:
    """A write-only file that encrypts what it is given: a header line, then one Fernet token per line.

    Each token seals a chunk of at most CHUNK_BYTES prefixed with its number and a last-chunk flag,
    so a file whose chunks are reordered, repeated or cut off does not decrypt (Fernet alone
    authenticates each token, not their order or their end). Memory stays at about two chunks.
    """

    def __init__(self, file, key: Fernet, chunk_bytes: int = CHUNK_BYTES):
        self._file, self._key, self._chunk_bytes = file, key, chunk_bytes
        self._buffer, self._index = bytearray(), 0
        file.write(ENCRYPTION_MAGIC)

    def write(self, data) -> int:
        self._buffer += data
        # A chunk leaves only when more data follows it: the one written by close() is the last.
        while len(self._buffer) > self._chunk_bytes:
            self._seal(bytes(self._buffer[: self._chunk_bytes]), last=False)
            del self._buffer[: self._chunk_bytes]
        return len(data)

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._file.close()

    def _seal(self, chunk: bytes, last: bool) -> None:
        self._file.write(self._key.encrypt(_CHUNK_HEADER.pack(self._index, last) + chunk) + b"\n")
        self._index += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def decrypt_file(source: Path, target, key: Fernet) -> None:
    """Decrypt a part written by SealedWriter into the open binary file target; BackupError if it cannot."""
    with open(source, "rb") as sealed:
        if sealed.readline() != ENCRYPTION_MAGIC:
            raise BackupError(f"{source.name} er ikke krypteret med backupkommandoen.")
        expected, last = 0, False
        for line in sealed:
            try:
                chunk = key.decrypt(line.rstrip(b"\n"))
            except InvalidToken:
                if expected == 0:
                    raise BackupError(
                        "Backuppen kan ikke dekrypteres: BACKUP_ENCRYPTION_KEY er ikke den nøgle, den blev taget med. "
                        "Intet er gendannet."
                    ) from None
                raise BackupError(f"{source.name} er beskadiget (del {expected + 1} kan ikke dekrypteres).") from None
            index, last = _CHUNK_HEADER.unpack_from(chunk)
            if index != expected:
                raise BackupError(f"{source.name} er beskadiget (delene står i forkert rækkefølge).")
            target.write(chunk[_CHUNK_HEADER.size :])
            expected += 1
            if last:
                break
        if not last or sealed.read(1):
            raise BackupError(f"{source.name} er beskadiget (filen er afkortet eller forlænget).")


# --- backup ---------------------------------------------------------------------------------------


def create(
    database: Database,
    media_root: Path,
    target_dir: Path,
    now: datetime | None = None,
    encryption_key: str = "",
) -> Path:
    """Write a complete backup into a new directory under target_dir and return its path.

    With encryption_key (a Fernet key) the database dump and the media archive are encrypted.
    """
    pg_dump = _tool("pg_dump")
    key = fernet(encryption_key) if encryption_key else None
    media_root = Path(media_root).resolve()
    target_dir = Path(target_dir).resolve()
    if target_dir == media_root or media_root in target_dir.parents:
        raise BackupError("Backupmappen må ikke ligge i MEDIA_ROOT (den kom så med i sin egen backup).")
    now = now or datetime.now(UTC)
    name = NAME_PREFIX + now.strftime("%Y%m%dT%H%M%SZ")
    final = target_dir / name
    if final.exists():
        raise BackupError(f"{final} findes allerede.")
    target_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    try:
        os.chmod(target_dir, PRIVATE_DIR)
    except PermissionError:
        pass  # a folder mounted by someone else: each backup's own folder below is still 0700
    partial = target_dir / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    _private_dir(partial)
    suffix = ENCRYPTED_SUFFIX if key else ""
    database_part, media_part = DATABASE_PART + suffix, MEDIA_PART + suffix
    try:
        with _part_writer(partial / database_part, key) as out:
            manifest = _dump(database, pg_dump, out)
        files = _media_files(media_root)
        with _part_writer(partial / media_part, key) as out, tarfile.open(fileobj=out, mode="w|gz") as archive:
            for path in files:
                archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
        manifest["media"] = {"files": len(files)}
        manifest["encryption"] = {"method": ENCRYPTION, "chunk_bytes": CHUNK_BYTES} if key else None
        manifest["parts"] = {
            part: {"bytes": (partial / part).stat().st_size, "sha256": sha256_of(partial / part)}
            for part in (database_part, media_part)
        }
        with _private_file(partial / MANIFEST) as out:
            out.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _part_writer(path: Path, key: Fernet | None):
    file = _private_file(path)
    return SealedWriter(file, key) if key else file


def _dump(database: Database, pg_dump: str, out) -> dict:
    """pg_dump into out, in a snapshot that also gives the row counts and the digest; returns the manifest's start."""
    connection = database.connect()
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor, tempfile.TemporaryFile() as errors, ThreadPoolExecutor(1) as copier:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            dump = subprocess.Popen(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    *(f"--exclude-table-data={table}" for table in EXCLUDED_DATA),
                ],
                env=database.env(),
                stdout=subprocess.PIPE,
                stderr=errors,
            )
            try:
                # The dump streams through this process (to be encrypted) while the counts are read.
                copied = copier.submit(shutil.copyfileobj, dump.stdout, out, 1 << 20)
                counts = table_counts(cursor)
                migrations = _migrations(cursor)
                digest = observations_digest(connection) if OBSERVATIONS_TABLE in counts else None
                # The snapshot lives as long as this transaction: pg_dump must be done before it ends.
                copied.result()
            except BaseException:
                dump.kill()  # nobody reads its pipe any more: it would wait there forever
                dump.wait()
                raise
            if dump.wait() != 0:
                errors.seek(0)
                raise BackupError(f"pg_dump fejlede: {errors.read().decode(errors='replace').strip()}")
    finally:
        connection.rollback()
        connection.close()
    for table in EXCLUDED_DATA:
        if table in counts:
            counts[table] = 0  # the rows the backup holds, which is what a restore gives
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
        "database": {
            "name": database.name,
            "tables": counts,
            "excluded_data": list(EXCLUDED_DATA),
            "observations_sha256": digest,
        },
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
    if manifest.get("format") not in READABLE_FORMATS:
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


def restore(backup: Path, database: Database, media_root: Path, encryption_key: str = "") -> RestoreResult:
    """Restore the backup into an empty database and an empty media folder, then verify it.

    An encrypted backup is decrypted with encryption_key into a private temporary folder first, so
    a wrong key or a damaged chunk stops the restore before anything is written.
    """
    started = time.monotonic()
    backup = Path(backup)
    manifest = read_manifest(backup)
    verify_parts(backup, manifest)  # the files as they are on disk: encrypted ones when encrypted
    encrypted = bool(manifest.get("encryption"))
    if encrypted and not encryption_key:
        raise BackupError("Backuppen er krypteret: sæt BACKUP_ENCRYPTION_KEY til den nøgle, den blev taget med.")
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

    with tempfile.TemporaryDirectory(prefix="udvalgsportalen-restore-") as plain:  # mkdtemp: 0700
        if encrypted:
            key = fernet(encryption_key)
            database_part, media_part = Path(plain) / DATABASE_PART, Path(plain) / MEDIA_PART
            for part in (database_part, media_part):
                with _private_file(part) as out:
                    decrypt_file(backup / (part.name + ENCRYPTED_SUFFIX), out, key)
        else:
            database_part, media_part = backup / DATABASE_PART, backup / MEDIA_PART
        result = subprocess.run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database.name}",
                str(database_part),
            ],
            env=database.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore fejlede (databasen er uændret): {result.stderr.strip()}")

        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media_part, "r:gz") as archive:
            archive.extractall(media_root, filter="data")  # no absolute paths, no "..", no devices
    # The archive keeps each file's mode, and files uploaded before uploads were 0600 are 0644 in it.
    for path in media_root.rglob("*"):
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)
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
