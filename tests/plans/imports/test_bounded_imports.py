"""Issue 22: an import is bounded by what the file is, not what it says, and always reaches a final state.

Findings 1, 7, 8 and 9: the wide-row XLSX whose dimension lies (data import and plan import), the
child process with a memory limit, the import's lease (a heartbeat the beat job checks), the
command-line import under the worker's limits, and the right message for a time-out or out of memory.
"""

import resource
import signal
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from plans.imports import reading, service, tasks, xlsx_guard
from plans.models import DataImport, ExtractMapping, Indicator, Observation, Plan
from plans.services import plan_xlsx
from portal import bounded
from tests.support.hostile_xlsx import replace_in_sheets, workbook

pytestmark = pytest.mark.django_db

COUNT = "Antal personer i alt"
HEADER = ["Område", "Periode", "Ydelsesgrupper", COUNT]
GOOD = ["Norddjurs", "2024Q1", "Kontanthjælp", 41.2]
MILLION = 1_000_000


@pytest.fixture
def mapped():
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    ExtractMapping.objects.create(
        indicator=indicator, table="WIDE01", measure=COUNT, filters={"Ydelsesgrupper": "Kontanthjælp"}
    )
    return indicator


@pytest.fixture(scope="module")
def eight_million_cells() -> bytes:
    """One row of 8,000,000 cells under <dimension ref="A1:C2">, as in the issue (about 30 MB)."""
    return workbook({"Ark1": [HEADER, GOOD]}, wide_row=("Ark1", 1, 8 * MILLION))


def run(content: bytes, name: str = "wide01_udtraek.xlsx") -> DataImport:
    record = service.create(ContentFile(content, name=name), None)
    return service.process(record.pk)[0]


def children_peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


# --- 1: bound what the file is -----------------------------------------------------------------------------


def test_xlsx_with_an_8_million_cell_row_and_a_lying_dimension_fails_in_danish_under_1_gb(mapped, eight_million_cells):
    started = time.monotonic()
    record = run(eight_million_cells)
    assert record.state == DataImport.State.FAILED
    assert record.errors == [
        "Række 2 i regnearket har over 200 celler; importen læser højst 200 kolonner. "
        "Kopiér udtrækkets celler til et nyt regneark, eller gem det som CSV."
    ]
    # The guard stops at cell 201 of that row: nothing near the file's 151 MB of XML is parsed.
    assert time.monotonic() - started < 10
    assert children_peak_mb() < 1024
    assert not Observation.objects.filter(data_import=record).exists()


def test_the_guard_counts_cells_whatever_the_dimension_says(settings):
    settings.IMPORT_MAX_XLSX_CELLS = 1000
    rows = [HEADER] + [GOOD] * 300  # 1,204 cells in a sheet that says A1:C2
    with pytest.raises(xlsx_guard.Refused, match="Regnearket har over 1.000 celler"):
        xlsx_guard.check(workbook({"Ark1": rows}))
    assert xlsx_guard.check(workbook({"Ark1": rows[:200]}))  # 804 cells


def test_the_guard_refuses_a_row_of_other_elements_openpyxl_would_parse_as_cells():
    assert xlsx_guard.check(workbook({"Ark1": [HEADER, ["<x/>"] * 3]}))  # text, escaped: no elements
    with pytest.raises(xlsx_guard.Refused, match="Række 2 i regnearket har over 200 celler"):
        xlsx_guard.check(workbook({"Ark1": [HEADER]}, extra="<row>" + "<x/>" * 201 + "</row>"))


def test_the_guard_refuses_xml_declarations_in_a_sheet():
    raw = replace_in_sheets(
        workbook({"Ark1": [HEADER]}), b"?><worksheet", b"?><!DOCTYPE x [<!ENTITY a 'b'>]><worksheet"
    )
    with pytest.raises(xlsx_guard.Refused, match="XML-erklæringer"):
        xlsx_guard.check(raw)


def test_an_ordinary_xlsx_passes_the_guard_and_is_imported(mapped):
    record = run(workbook({"Ark1": [HEADER, GOOD]}, dimension="A1:D2"))
    assert record.state == DataImport.State.DONE, record.errors
    assert record.rows_total == 1 and record.file_format == "XLSX"
    assert Observation.objects.get(data_import=record).value == Decimal("41.2")


def test_a_read_that_needs_more_memory_than_the_limit_fails_the_import_in_danish(mapped, monkeypatch, settings):
    """Whatever the guard misses, the child's address-space limit catches: MemoryError, never the OOM killer."""
    settings.IMPORT_MAX_MEMORY_MB = 200
    monkeypatch.setattr(xlsx_guard, "check", lambda raw: None)  # as if the guard let the wide row through
    record = run(workbook({"Ark1": [HEADER, GOOD]}, wide_row=("Ark1", 1, MILLION)))
    assert record.state == DataImport.State.FAILED
    assert record.errors == [
        "Filen kræver mere hukommelse end importen må bruge (200 MB), og ingen tal er ændret. "
        "Del udtrækket op i mindre filer (fx én pr. år), og upload dem hver for sig."
    ]
    assert children_peak_mb() < 1024


def test_the_plan_import_refuses_the_wide_row_in_danish(client_for, administrator, plan_2024):
    raw = workbook({"Plan": [plan_xlsx.HEADER]}, wide_row=("Plan", 1, MILLION))
    upload = ContentFile(raw, name="plan.xlsx")
    response = client_for(administrator).post(reverse("plans:plan_import"), {"year": 2025, "file": upload})
    assert response.status_code == 200
    assert "Række 2 i regnearket har over 200 celler" in response.text
    assert not Plan.objects.filter(year=2025).exists()


def test_the_plan_import_reads_under_the_memory_limit(plan_2024, monkeypatch, settings):
    settings.IMPORT_MAX_MEMORY_MB = 200
    monkeypatch.setattr(xlsx_guard, "check", lambda raw: None)
    raw = workbook({"Plan": [plan_xlsx.HEADER]}, wide_row=("Plan", 1, MILLION))
    with pytest.raises(plan_xlsx.PlanImportError) as refused:
        plan_xlsx.import_plan(raw, 2025, "Plan 2025")
    assert refused.value.messages == [
        "Filen kræver mere hukommelse end importen må bruge (200 MB). Brug skabelonen fra portalen."
    ]
    assert children_peak_mb() < 1024


def test_a_child_that_runs_out_of_time_is_killed():
    def spin():
        while True:
            pass

    started = time.monotonic()
    with pytest.raises(bounded.TimedOut):
        bounded.run(spin, memory_mb=100, seconds=1)
    assert time.monotonic() - started < 5


# --- 9: the right message for a time limit or out of memory while reading an XLSX ----------------------------


def test_a_soft_time_limit_while_openpyxl_reads_is_not_called_a_broken_file(settings):
    """In process the reader lets the time limit through (a task's limit is raised wherever it is)."""
    settings.IMPORT_MAX_XLSX_CELLS = 10 * MILLION
    rows = [HEADER] + [GOOD] * 200_000

    def at_the_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    raw = workbook({"Ark1": rows})
    previous = signal.signal(signal.SIGALRM, at_the_limit)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(SoftTimeLimitExceeded):
            reading.read_extract(raw)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_memory_error_while_openpyxl_reads_is_not_called_a_broken_file(monkeypatch):
    monkeypatch.setattr(xlsx_guard, "check", lambda raw: None)
    raw = workbook({"Ark1": [HEADER, GOOD]}, wide_row=("Ark1", 1, MILLION))
    with pytest.raises(bounded.OutOfMemory):
        bounded.run(reading.read_extract, raw, memory_mb=200, seconds=60)


# --- 7: a lease, so an import whose process is gone is requeued within minutes --------------------------------


def running(heartbeat_ago: timedelta, attempts: int = 1) -> DataImport:
    record = service.create(ContentFile(workbook({"Ark1": [HEADER, GOOD]}), name="wide01.xlsx"), None)
    now = timezone.now()
    DataImport.objects.filter(pk=record.pk).update(
        state=DataImport.State.RUNNING,
        attempts=attempts,
        started_at=now - heartbeat_ago,
        heartbeat_at=now - heartbeat_ago,
    )
    return record


def test_an_import_whose_worker_died_is_requeued_by_the_beat_job_within_5_minutes(mapped, eager_tasks):
    """The worker died right after its last heartbeat: beat (every minute) claims it back once the lease runs out."""
    beat = django_settings.CELERY_BEAT_SCHEDULE["requeue-waiting-imports"]["schedule"]
    record = running(heartbeat_ago=timedelta(0))
    for minute in range(6):
        DataImport.objects.filter(pk=record.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=minute * beat))
        if tasks.requeue_waiting_imports.apply().get():  # tasks run in-process here: the requeued import runs
            break
    record.refresh_from_db()
    assert minute * beat <= 5 * 60
    assert record.state == DataImport.State.DONE and record.attempts == 2


def test_an_import_with_a_live_lease_is_neither_requeued_nor_claimed_twice(mapped):
    record = running(heartbeat_ago=timedelta(seconds=30))
    assert service.waiting(queued_minutes=0) == []
    again, touched = service.process(record.pk)  # a redelivered message while the first run goes on
    assert (again.state, again.attempts, touched) == (DataImport.State.RUNNING, 1, [])


def test_an_import_being_applied_is_not_requeued_whatever_its_heartbeat(postgres, transactional_db, reference_data):
    """applying.apply holds the record's row lock while it writes: that is a live lease too."""
    from django.db import connections, transaction

    record = running(heartbeat_ago=service.STALLED_AFTER + timedelta(minutes=1))
    locked, release = threading.Event(), threading.Event()

    def applying():
        try:
            with transaction.atomic():
                DataImport.objects.select_for_update().get(pk=record.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=applying)
    worker.start()
    try:
        assert locked.wait(10)
        assert service.waiting(queued_minutes=0) == []
    finally:
        release.set()
        worker.join()
    assert service.waiting(queued_minutes=0) == [record.pk]


def test_a_stalled_import_that_used_its_attempts_is_failed_by_the_beat_job(mapped):
    record = running(heartbeat_ago=service.STALLED_AFTER + timedelta(seconds=1), attempts=3)
    assert tasks.requeue_waiting_imports.apply().get() == 0
    record.refresh_from_db()
    assert record.state == DataImport.State.FAILED
    assert record.errors[0].startswith("Importen er forsøgt 3 gange")


def test_the_lease_is_renewed_while_the_file_is_read(mapped, monkeypatch):
    def slow_broken_read(raw):
        time.sleep(2.5)
        raise reading.ExtractError("Filen er tom.")

    monkeypatch.setattr(service, "HEARTBEAT_SECONDS", 1)
    monkeypatch.setattr(service, "read_extract", slow_broken_read)
    record = run(b"x", "wide01.csv")
    assert record.state == DataImport.State.FAILED
    assert record.heartbeat_at - record.started_at >= timedelta(seconds=1)


# --- 8: the command-line import has the worker's limits ------------------------------------------------------


def test_the_command_line_import_refuses_a_file_over_the_size_limit(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = tmp_path / "wide01.csv"
    big.write_bytes(b"x" * (settings.IMPORT_MAX_BYTES + 1))
    with pytest.raises(CommandError, match="en fil må højst være 1 MB"):
        call_command("import_extract", str(big))
    assert not DataImport.objects.exists()


def test_the_command_line_import_stops_at_the_time_limit(mapped, tmp_path, settings, monkeypatch):
    def stuck(raw):
        while True:
            time.sleep(0.01)

    settings.IMPORT_TIME_LIMIT_SECONDS = 1
    monkeypatch.setattr(service, "read_extract", stuck)
    path = tmp_path / "wide01.xlsx"
    path.write_bytes(workbook({"Ark1": [HEADER, GOOD]}))
    started = time.monotonic()
    with pytest.raises(CommandError, match="1 af 1 filer kunne ikke indlæses"):
        call_command("import_extract", str(path))
    assert time.monotonic() - started < 10
    record = DataImport.objects.get()
    assert record.state == DataImport.State.FAILED
    assert record.errors == [service.timed_out_message()]


def test_the_command_line_import_reads_under_the_memory_limit(mapped, tmp_path, settings, monkeypatch):
    settings.IMPORT_MAX_MEMORY_MB = 200
    monkeypatch.setattr(xlsx_guard, "check", lambda raw: None)
    path = tmp_path / "wide01.xlsx"
    path.write_bytes(workbook({"Ark1": [HEADER, GOOD]}, wide_row=("Ark1", 1, MILLION)))
    with pytest.raises(CommandError):
        call_command("import_extract", str(path))
    assert DataImport.objects.get().errors == [service.out_of_memory_message()]


# --- the child process under a real worker ------------------------------------------------------------------


def wait_until_finished(pk: int, seconds: float = 60) -> DataImport:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        record = DataImport.objects.get(pk=pk)
        if record.is_finished:
            return record
        time.sleep(0.2)
    pytest.fail(f"Import {pk} blev ikke færdig på {seconds} s: {DataImport.objects.get(pk=pk).state}")


@pytest.mark.parametrize("celery_worker_process", ["solo", "prefork"], indirect=True)
def test_a_real_worker_reads_in_a_child_process(reference_data, celery_worker_process, eight_million_cells):
    """The prefork pool's processes are daemonic (multiprocessing refuses them children); os.fork is not."""
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    ExtractMapping.objects.create(
        indicator=indicator, table="WIDE01", measure=COUNT, filters={"Ydelsesgrupper": "Kontanthjælp"}
    )
    good = service.create(ContentFile(workbook({"Ark1": [HEADER, GOOD]}), name="wide01_god.xlsx"), None)
    wide = service.create(ContentFile(eight_million_cells, name="wide01_bred.xlsx"), None)
    tasks.queue(good.pk)
    tasks.queue(wide.pk)
    good, wide = wait_until_finished(good.pk), wait_until_finished(wide.pk)
    assert good.state == DataImport.State.DONE, good.errors
    assert Observation.objects.get(data_import=good).value == Decimal("41.2")
    assert wide.state == DataImport.State.FAILED
    assert wide.errors[0].startswith("Række 2 i regnearket har over 200 celler")
