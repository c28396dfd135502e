"""Backups that restore: fill a PostgreSQL database, back it up, restore it into a new empty one.

Needs PostgreSQL (DATABASE_URL) and pg_dump/pg_restore on PATH: skipped locally with the reason,
a failure in CI. The test database's data must be committed for pg_dump to see it, hence
transactional tests (reference_data).
"""

import hashlib
import json
import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from events.models import Meeting, MeetingDocument
from plans.models import DataImport, Indicator, Observation
from portal.backup import Database
from portal.periods import parse_period
from tests.conftest import IN_CI, _require_service

pytestmark = pytest.mark.postgres


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


def test_restore_refuses_a_damaged_backup_before_touching_the_database(filled, empty_database, tmp_path):
    path = Path(call_command("backup", dir=tmp_path / "backups", verbosity=0))
    dump = path / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="beskadiget: database.dump"):
        call_command("restore", str(path), database_url=url_of(empty_database), media_root=tmp_path / "m", verbosity=0)
    assert snapshot(empty_database)["tables"] == {}


def test_backup_keeps_only_the_newest(filled, tmp_path):
    from datetime import UTC, datetime

    from portal import backup

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
    from portal import backup

    with pytest.raises(backup.BackupError, match="kræver PostgreSQL"):
        Database.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})
