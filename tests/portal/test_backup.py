"""Backups that restore: fill a PostgreSQL database, back it up, restore it into a new empty one.

The tests marked postgres need PostgreSQL (DATABASE_URL) and pg_dump/pg_restore on PATH: skipped
locally with the reason, a failure in CI. The test database's data must be committed for pg_dump
to see it, hence transactional tests (reference_data). The encryption and the uploads' modes are
tested on any database.
"""

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from axes.models import AccessLog
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from events.models import Meeting, MeetingDocument
from plans.models import DataImport, Indicator, Observation
from portal import backup
from portal.backup import Database
from portal.periods import parse_period
from tests.conftest import IN_CI, _require_service


@pytest.fixture
def pg_tools():
    _require_service("DATABASE_URL", "PostgreSQL")
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        message = f"{' og '.join(missing)} findes ikke på PATH (Debian: postgresql-client)."
        pytest.fail(message) if IN_CI else pytest.skip(message)


@pytest.fixture
def filled(pg_tools, reference_data, administrator, settings):
    """The seed, 1,200 observations and two uploaded files, committed."""
    if connection.vendor != "postgresql":
        pytest.fail(f"DATABASE_URL peger på {connection.vendor}, ikke PostgreSQL.")
    indicators = list(Indicator.objects.order_by("id")[:10])
    rows = []
    for i, indicator in enumerate(indicators):
        for area in ("Norddjurs", "Syddjurs", "Hele landet"):
            for month in range(40):
                period = parse_period(f"{2021 + month // 12}M{month % 12 + 1:02d}")
                rows.append(
                    Observation(
                        indicator=indicator,
                        area=area,
                        period_code=period.code,
                        period_start=period.start,
                        period_end=period.end,
                        value=Decimal(f"{(i * 37 + month * 11) % 100}.{month % 10}"),
                        comparison=Decimal("45.5") if area == "Norddjurs" else None,
                    )
                )
    Observation.objects.bulk_create(rows)
    record = DataImport(original_name="y08a02.csv", checksum="x", size=3, state="gennemfoert")
    record.file.save("y08a02.csv", ContentFile("Område;Periode\nNorddjurs;2024M01\n".encode()), save=True)
    document = MeetingDocument(
        meeting=Meeting.objects.first(), kind="referat", title="Referat", uploaded_by=administrator
    )
    document.file.save("referat.pdf", ContentFile(b"%PDF-1.4 referat"), save=True)
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_database():
    """A new, empty database with a unique name beside the test database; dropped afterwards."""
    source = Database.from_settings(connection.settings_dict)
    name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = Database(
        name="postgres", host=source.host, port=source.port, user=source.user, password=source.password
    ).connect()
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = Database(name=name, host=source.host, port=source.port, user=source.user, password=source.password)
    try:
        yield target
    finally:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def url_of(database: Database) -> str:
    auth = database.user + (f":{database.password}" if database.password else "")
    return f"postgres://{auth}@{database.host or 'localhost'}:{database.port or 5432}/{database.name}"


def snapshot(database: Database) -> dict:
    """Every table's row count and an MD5 of the observations, computed by PostgreSQL itself."""
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            counts = {}
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            digest, observations = None, 0
            if "plans_observation" in counts:
                cursor.execute("SELECT md5(string_agg(o::text, '|' ORDER BY o.id)), count(*) FROM plans_observation o")
                digest, observations = cursor.fetchone()
    finally:
        conn.close()
    return {"tables": counts, "observations_md5": digest, "observations": observations}


def files_of(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file()
    }


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask():
    """Files and folders created now would be readable and writable by everyone unless the code says otherwise."""
    old = os.umask(0)
    yield
    os.umask(old)


def data_sql(database: Database, dump: Path) -> str:
    """The rows of a custom-format dump as the SQL pg_restore would run (the dump itself is compressed)."""
    return subprocess.run(
        ["pg_restore", "--data-only", "--file=-", str(dump)],
        env=database.env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.postgres
def test_backup_restores_into_an_empty_database_with_every_table_and_observation_identical(
    filled, empty_database, tmp_path
):
    source = Database.from_settings(connection.settings_dict)
    before = snapshot(source)
    assert before["observations"] >= 1200 and before["tables"]["plans_dataimport"] == 1

    path = Path(call_command("backup", dir=tmp_path / "backups", verbosity=0))
    manifest = json.loads((path / "manifest.json").read_text())
    assert set(manifest["parts"]) == {"database.dump", "media.tar.gz"}
    assert manifest["database"]["tables"] == before["tables"]
    assert manifest["media"] == {"files": 2}
    assert manifest["versions"]["postgresql_server"] and manifest["versions"]["migrations"]["plans"]

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(path), database_url=url_of(empty_database), media_root=restored_media, verbosity=0)

    after = snapshot(empty_database)
    assert after["tables"] == before["tables"]  # every table, every row count
    assert after["observations_md5"] == before["observations_md5"]
    assert files_of(restored_media) == files_of(filled)


@pytest.mark.postgres
def test_restore_refuses_a_database_that_is_not_empty(filled, tmp_path):
    path = call_command("backup", dir=tmp_path / "backups", verbosity=0)
    with pytest.raises(CommandError, match="er ikke tom"):
        call_command(
            "restore",
            path,
            database_url=url_of(Database.from_settings(connection.settings_dict)),
            media_root=tmp_path / "m",
            verbosity=0,
        )


@pytest.mark.postgres
def test_restore_refuses_a_damaged_backup_before_touching_the_database(filled, empty_database, tmp_path):
    path = Path(call_command("backup", dir=tmp_path / "backups", verbosity=0))
    dump = path / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="beskadiget: database.dump"):
        call_command("restore", str(path), database_url=url_of(empty_database), media_root=tmp_path / "m", verbosity=0)
    assert snapshot(empty_database)["tables"] == {}


@pytest.mark.postgres
def test_backup_keeps_only_the_newest(filled, tmp_path):
    from datetime import UTC, datetime

    source, target = Database.from_settings(connection.settings_dict), tmp_path / "backups"
    for day in (1, 2, 3):
        backup.create(source, filled, target, now=datetime(2025, 1, day, 2, 30, tzinfo=UTC))
    (target / "notes").mkdir()  # not a backup: never deleted
    deleted = backup.prune(target, keep=2)
    assert [p.name for p in deleted] == ["udvalgsportalen-20250101T023000Z"]
    assert sorted(p.name for p in target.iterdir()) == [
        "notes",
        "udvalgsportalen-20250102T023000Z",
        "udvalgsportalen-20250103T023000Z",
    ]


def test_backup_without_postgresql_says_so():
    """On SQLite (the embedded mode) the command explains instead of failing obscurely."""
    with pytest.raises(backup.BackupError, match="kræver PostgreSQL"):
        Database.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})


@pytest.mark.postgres
def test_backup_leaves_out_sessions_and_login_records_and_restores_their_empty_tables(
    filled, empty_database, client_for, administrator, tmp_path
):
    session_key = client_for(administrator).cookies["sessionid"].value  # a logged-in session in django_session
    AccessLog.objects.create(ip_address="198.51.100.23", username="administrator", user_agent="x", http_accept="x")
    source = Database.from_settings(connection.settings_dict)
    assert Session.objects.filter(session_key=session_key).exists()  # committed: pg_dump sees it

    path = Path(call_command("backup", dir=tmp_path / "backups", verbosity=0))
    rows = data_sql(source, path / "database.dump")
    assert "administrator" in rows  # the users are there ...
    assert session_key not in rows and "198.51.100.23" not in rows  # ... their logins are not
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["database"]["tables"]["django_session"] == 0
    assert "django_session" in manifest["database"]["excluded_data"]

    call_command(
        "restore", str(path), database_url=url_of(empty_database), media_root=tmp_path / "restored", verbosity=0
    )
    after = snapshot(empty_database)["tables"]
    assert after["django_session"] == 0 and after["axes_accesslog"] == 0  # the tables exist, empty
    assert after["auth_user"] == snapshot(source)["tables"]["auth_user"]


@pytest.mark.postgres
def test_backup_files_are_private_whatever_the_umask(filled, empty_database, permissive_umask, tmp_path):
    target = tmp_path / "backups"
    target.mkdir(mode=0o755)  # as an older version left it
    path = Path(call_command("backup", dir=target, verbosity=0))
    assert mode(target) == 0o700 and mode(path) == 0o700
    assert {p.name: mode(p) for p in path.iterdir()} == {
        "database.dump": 0o600,
        "media.tar.gz": 0o600,
        "manifest.json": 0o600,
    }

    restored = tmp_path / "restored"
    call_command("restore", str(path), database_url=url_of(empty_database), media_root=restored, verbosity=0)
    modes = {str(p.relative_to(restored)): mode(p) for p in restored.rglob("*")}
    assert modes and all(m == (0o700 if (restored / p).is_dir() else 0o600) for p, m in modes.items())


@pytest.mark.postgres
def test_encrypted_backup_restores_with_its_key_and_nothing_without_it(filled, empty_database, settings, tmp_path):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    source = Database.from_settings(connection.settings_dict)
    before = snapshot(source)
    path = Path(call_command("backup", dir=tmp_path / "backups", verbosity=0))
    manifest = json.loads((path / "manifest.json").read_text())
    assert set(manifest["parts"]) == {"database.dump.enc", "media.tar.gz.enc"}
    assert manifest["encryption"]["method"] == "fernet-chunks-1"
    assert sorted(p.name for p in path.iterdir()) == ["database.dump.enc", "manifest.json", "media.tar.gz.enc"]
    assert b"PGDMP" not in (path / "database.dump.enc").read_bytes()  # pg_dump's custom format starts so

    restored_media, url = tmp_path / "restored-media", url_of(empty_database)
    right_key = settings.BACKUP_ENCRYPTION_KEY
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="ikke den nøgle, den blev taget med"):
        call_command("restore", str(path), database_url=url, media_root=restored_media, verbosity=0)
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="Backuppen er krypteret: sæt BACKUP_ENCRYPTION_KEY"):
        call_command("restore", str(path), database_url=url, media_root=restored_media, verbosity=0)
    assert snapshot(empty_database)["tables"] == {} and not restored_media.exists()

    settings.BACKUP_ENCRYPTION_KEY = right_key
    call_command("restore", str(path), database_url=url, media_root=restored_media, verbosity=0)
    after = snapshot(empty_database)
    assert after["tables"] == before["tables"] and after["observations_md5"] == before["observations_md5"]
    assert files_of(restored_media) == files_of(filled)


# --- the encryption itself, and uploads: any database ---------------------------------------------


def seal(data: bytes, key: Fernet, path: Path, chunk_bytes: int = 10) -> Path:
    with backup.SealedWriter(open(path, "wb"), key, chunk_bytes=chunk_bytes) as writer:
        for start in range(0, len(data), 7):  # many small writes, as tarfile and copyfileobj make
            writer.write(data[start : start + 7])
    return path


def unseal(path: Path, key: Fernet) -> bytes:
    plain = io.BytesIO()
    backup.decrypt_file(path, plain, key)
    return plain.getvalue()


@pytest.mark.parametrize("size", [0, 1, 10, 11, 30, 95])
def test_sealed_part_decrypts_to_the_same_bytes_across_chunk_boundaries(size, tmp_path):
    key = Fernet(Fernet.generate_key())
    data = os.urandom(size)
    path = seal(data, key, tmp_path / "part.enc")
    assert unseal(path, key) == data
    assert len(path.read_bytes().splitlines()) == 1 + max(1, -(-size // 10))  # the header, one token per chunk


def test_sealed_part_refuses_the_wrong_key_and_any_cut_reordered_or_added_chunk(tmp_path):
    key = Fernet(Fernet.generate_key())
    path = seal(b"Jens Jensen, 12345678, jens@example.dk; " * 3, key, tmp_path / "part.enc")
    header, *tokens = path.read_bytes().splitlines(keepends=True)
    assert len(tokens) == 12 and b"Jensen" not in path.read_bytes()

    with pytest.raises(backup.BackupError, match="ikke den nøgle, den blev taget med"):
        unseal(path, Fernet(Fernet.generate_key()))
    for damaged, reason in [
        (tokens[:-1], "afkortet"),
        (tokens + tokens[-1:], "afkortet eller forlænget"),
        ([tokens[0], tokens[2], tokens[1], *tokens[3:]], "forkert rækkefølge"),
    ]:
        path.write_bytes(header + b"".join(damaged))
        with pytest.raises(backup.BackupError, match=reason):
            unseal(path, key)


def test_backup_refuses_a_key_that_is_not_a_fernet_key():
    with pytest.raises(backup.BackupError, match="BACKUP_ENCRYPTION_KEY er ikke en gyldig nøgle"):
        backup.fernet("hemmelig")


def test_uploaded_files_are_readable_by_the_portal_only_whatever_the_umask(client_for, administrator, permissive_umask):
    meeting = Meeting.objects.first()
    response = client_for(administrator).post(
        reverse("events:document_upload", args=[meeting.pk]),
        {"kind": "referat", "title": "Referat", "file": SimpleUploadedFile("referat.pdf", b"%PDF-1.4 referat")},
    )
    assert response.status_code == 302
    stored = Path(MeetingDocument.objects.get().file.path)
    assert mode(stored) == 0o600 and mode(stored.parent) == 0o700
