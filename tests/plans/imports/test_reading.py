"""Issue 11: every import ends, in bounded time and memory, whatever the file.

A time limit and a bounded number of attempts; messages that can always be saved; limits
checked before pandas or openpyxl allocate; a row-level message for every value the database
cannot hold; and property-based tests (Hypothesis) over generated and corrupted extracts.
`make bench` runs the property tests with more examples (HYPOTHESIS_PROFILE=bench) and the fuzz
benchmark (tests/benchmark/bench_fuzz.py).
"""

import io
import json
import os
import re
import signal
import time
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from plans.core.areas import MUNICIPALITIES
from plans.imports import reading, service, tasks
from plans.models import DataImport, ExtractMapping, Indicator, Observation

pytestmark = pytest.mark.django_db

hypothesis_settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.register_profile(
    "bench",
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SHARE = "Andel personer med ordinære timer (pct.)"
COUNT = "Antal personer i alt"
HEADER = ["Område", "Periode", "Ydelsesgrupper", COUNT, SHARE]
UNEXPECTED = "uventet fejl"
AREAS = sorted(MUNICIPALITIES)


@pytest.fixture
def ordinary_hours():
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    ExtractMapping.objects.create(
        indicator=indicator, table="FUZZ01", measure=SHARE, filters={"Ydelsesgrupper": "Kontanthjælp"}
    )
    return indicator


def run(content: bytes, name: str = "fuzz01_udtraek.csv") -> DataImport:
    record = service.create(ContentFile(content, name=name), None)
    return service.process(record.pk)[0]


def csv_file(*rows: str, header: str = ";".join(HEADER), encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def v3(rows: list, columns=None) -> bytes:
    return json.dumps({"columns": columns or HEADER, "rows": rows}).encode()


def xlsx(
    dimension: str | None = None, last_row: int | None = None, rows=(("Norddjurs", "2024Q1", "Kontanthjælp", 412, 8.7),)
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if last_row:
                    cell = f'<c r="A{last_row}" t="inlineStr"><is><t>x</t></is></c>'
                    text = text.replace("</sheetData>", f'<row r="{last_row}">{cell}</row></sheetData>')
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def snapshot():
    return sorted(Observation.objects.values_list("indicator_id", "area", "period_code", "value", "comparison"))


def assert_refused(record: DataImport, message: str) -> None:
    assert record.state == DataImport.State.FAILED, record.errors
    assert any(message in error for error in record.errors), record.errors
    assert not any(UNEXPECTED in error for error in record.errors), record.errors


# --- every import ends: a time limit, bounded attempts --------------------------------------------------


def test_the_import_task_has_a_soft_and_a_hard_time_limit(settings):
    assert tasks.run_import.soft_time_limit == settings.IMPORT_TIME_LIMIT_SECONDS == 600
    assert tasks.run_import.time_limit == settings.IMPORT_HARD_TIME_LIMIT_SECONDS == 660


def test_an_import_stopped_at_its_soft_time_limit_ends_as_failed(ordinary_hours, monkeypatch):
    """The worker raises SoftTimeLimitExceeded from a signal handler, wherever the import is; so does this test."""
    from celery.exceptions import SoftTimeLimitExceeded

    def slow_read(raw):
        while True:  # as pandas or openpyxl stuck on a hostile file
            time.sleep(0.01)

    def at_the_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(service, "read_extract", slow_read)
    before = snapshot()
    # Stored before the clock starts, so on a busy machine the limit meets the import, not the upload.
    record = service.create(ContentFile(csv_file("Norddjurs;2024Q1;Kontanthjælp;412;8,7"), name="stuck.csv"), None)
    previous = signal.signal(signal.SIGALRM, at_the_limit)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        record = service.process(record.pk)[0]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert_refused(record, "Importen blev stoppet efter 10 minutter uden at blive færdig")
    assert record.finished_at is not None and snapshot() == before


def test_a_file_that_killed_its_worker_is_not_tried_forever(ordinary_hours):
    """acks_late redelivers a task whose worker died; after IMPORT_MAX_ATTEMPTS the import is failed, not run."""
    record = service.create(ContentFile(csv_file("Norddjurs;2024Q1;Kontanthjælp;412;8,7"), name="gift.csv"), None)
    DataImport.objects.filter(pk=record.pk).update(state=DataImport.State.RUNNING, attempts=3)
    record, touched = service.process(record.pk)
    assert touched == []
    assert_refused(record, "Importen er forsøgt 3 gange uden at blive færdig")
    assert not Observation.objects.filter(data_import=record).exists()
    # Below the limit it runs, and counts the attempt.
    other = service.create(ContentFile(csv_file("Norddjurs;2024Q2;Kontanthjælp;412;8,7"), name="ok.csv"), None)
    DataImport.objects.filter(pk=other.pk).update(attempts=2)
    other, _ = service.process(other.pk)
    assert (other.state, other.attempts) == (DataImport.State.DONE, 3)


def test_the_stalled_requeue_ends_imports_that_used_their_attempts():
    long_ago = timezone.now() - timedelta(hours=2)
    records = {}
    for name, attempts in (("gift.csv", 3), ("døde-en-gang.csv", 1)):
        record = service.create(ContentFile(b"x", name=name), None)
        DataImport.objects.filter(pk=record.pk).update(
            state=DataImport.State.RUNNING, attempts=attempts, started_at=long_ago
        )
        records[name] = record.pk
    assert tasks.requeue_waiting_imports.apply().get() == 1  # only the one with attempts left is queued again
    poison = DataImport.objects.get(pk=records["gift.csv"])
    assert_refused(poison, "Importen er forsøgt 3 gange")


def test_messages_are_cleaned_and_capped_before_saving():
    record = service.create(ContentFile(b"x", name="fil\x00navn\x07.csv"), None)
    assert record.original_name == "filnavn.csv"
    service.fail(record.pk, ["Række 2, kolonne 'A\x00B': 'x\x01\x1f\x7f\ud800y' er ikke et tal.", "z" * 5000])
    record.refresh_from_db()
    assert record.errors[0] == "Række 2, kolonne 'AB': 'xy' er ikke et tal."
    assert len(record.errors[1]) == service.MAX_MESSAGE_CHARS and record.errors[1].endswith("…")


def test_notes_naming_unknown_areas_are_cleaned(ordinary_hours):
    record = run(csv_file("Norddjurs;2024Q1;Kontanthjælp;412;8,7", "Ukendt\x01by\x1b;2024Q1;Kontanthjælp;1;1"))
    assert record.state == DataImport.State.DONE, record.errors
    assert any("'Ukendtby'" in note for note in record.notes), record.notes


def test_nul_in_a_message_can_be_saved_on_postgresql(postgres, ordinary_hours):
    """PostgreSQL refuses \\u0000 in jsonb: before, the task died and the import stayed 'kører'."""
    record = service.create(ContentFile(b"x", name="nul.csv"), None)
    service.fail(record.pk, ["Række 2: 'A\x00B' er ikke et tal."])
    record.refresh_from_db()
    assert (record.state, record.errors) == (DataImport.State.FAILED, ["Række 2: 'AB' er ikke et tal."])
    for content in (
        "Område;Periode;A\nNorddjurs;2024Q1;1\n".encode("utf-32"),
        csv_file("Norddjurs;2024Q1;Kontanthjælp;412;8,7" + "\x00" * 3),
        v3([["Norddjurs", "2024Q1\\u0000", "Kontanthjælp", 1, 1]]).replace(b"\\\\u0000", b"\\u0000"),
    ):
        assert run(content).state == DataImport.State.FAILED


# --- bounded work before reading ----------------------------------------------------------------------


HOSTILE = [
    (
        "10,000 columns (79 KB)",
        lambda: csv_file(
            "Norddjurs;2024Q1;" + ";".join("1" for _ in range(9998)),
            header=";".join(["Område", "Periode"] + [f"M{i}" for i in range(9998)]),
        ),
        "Filen har 10.000 kolonner; importen læser højst 200.",
    ),
    ("UTF-32 with BOM", lambda: "Område;Periode;A\nNorddjurs;2024Q1;1\n".encode("utf-32"), "Filen er gemt i UTF-32"),
    ("UTF-32 without BOM", lambda: "Område;Periode;A\nNorddjurs;2024Q1;1\n".encode("utf-32-le"), "NUL-tegn"),
    (
        "UTF-16 cut in half a character",
        lambda: "Område;Periode;A\nNorddjurs;2024Q1;1\n".encode("utf-16")[:-1],
        "UTF-16, men er beskadiget",
    ),
    (
        "NUL after 4 KiB",
        lambda: csv_file(*[f"Norddjurs;2024Q1;Gruppe {i};{i};1" for i in range(150)], "Norddjurs;2024Q2;A\x00B;1;1"),
        "Filen er ikke en tekstfil: den indeholder et NUL-tegn (byte 0) på plads",
    ),
    ("NUL in UTF-16", lambda: "Område;Periode;A\nNorddjurs;2024Q1;1\x00\n".encode("utf-16"), "NUL-tegn"),
    (
        "NUL escaped in JSON",
        lambda: v3([["Norddjurs", "2024Q1\\u0000", "A", 1, 1]]).replace(b"\\\\u0000", b"\\u0000"),
        "NUL-tegn (\\u0000)",
    ),
    (
        "XLSX declaring A1:GR1048576",
        lambda: xlsx("A1:GR1048576"),
        "Regnearket siger, det har 1.048.576 rækker og 200 kolonner",
    ),
    ("XLSX declaring A1:ALL1048576", lambda: xlsx("A1:ALL1048576"), "Regnearket siger, det har 1.000 kolonner"),
    (
        "header of a million fields",
        lambda: ("Område;Periode;" + "a;" * 1_000_000 + "\n").encode(),
        "Linje 1 er over 64 KiB lang",
    ),
    ("a line over 1 MiB", lambda: csv_file("Norddjurs;2024Q1;A;1;" + "9" * 1_100_000), "Linje 2 er 1.074 KiB lang"),
    (
        "JSON nested 100,000 deep",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        "JSON-filen er indlejret 100.000 niveauer dybt",
    ),
    (
        "JSON cell nested 50 deep",
        lambda: v3([["Norddjurs", "2024Q1", "A", 1, json.loads("[" * 50 + "]" * 50)]]),
        "JSON-filen er indlejret 53 niveauer dybt",
    ),
    ("JSON columns not a list", lambda: b'{"columns": 5, "rows": []}', "kolonnenavnene skal være en liste"),
    ("JSON Variables not a list", lambda: b'[{"Variables": 1, "Data": []}]', "'Variables' og 'Data' skal være lister"),
]


@pytest.mark.parametrize(("case", "build", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_quickly_with_a_danish_reason(ordinary_hours, case, build, message):
    before = snapshot()
    started = time.perf_counter()
    record = run(build())
    assert_refused(record, message)
    assert time.perf_counter() - started < 10
    assert snapshot() == before


def test_cells_are_counted_before_pandas_reads(ordinary_hours, settings):
    settings.IMPORT_MAX_CELLS = 100
    assert_refused(
        run(csv_file(*[f"Norddjurs;{y}Q1;Kontanthjælp;1;1" for y in range(1990, 2020)])),
        "Filen har omkring 160 celler; importen læser højst 100.",
    )
    assert_refused(
        run(v3([["Norddjurs", f"{y}Q1", "Kontanthjælp", 1, 1] for y in range(1990, 2020)])), "importen læser højst 100."
    )


def test_json_containers_are_counted_before_json_reads(ordinary_hours, monkeypatch):
    monkeypatch.setattr(reading, "MAX_JSON_CONTAINERS", 10)
    assert_refused(
        run(v3([["Norddjurs", f"{y}Q1", "Kontanthjælp", 1, 1] for y in range(1990, 2020)])),
        "JSON-filen har 33 lister og objekter",
    )


def test_xlsx_rows_are_bounded_whatever_the_sheet_declares(ordinary_hours, settings):
    """A sheet without a dimension whose one far row would make openpyxl pad a million empty rows."""
    settings.IMPORT_MAX_XLSX_CELLS = 50_000
    assert_refused(run(xlsx(last_row=1_048_576), "fuzz01.xlsx"), "importen læser højst 50.000")


def test_xlsx_within_the_limits_is_read(ordinary_hours):
    record = run(xlsx("A1:E2"), "fuzz01.xlsx")
    assert record.state == DataImport.State.DONE, record.errors


# --- a row-level message for every value the database cannot hold --------------------------------------


# A column is a measure when any of its values is a number (plans.imports.validation.split_columns),
# so each file has a good row above the bad one; the share column is a measure by its mapping.
GOOD = ["Syddjurs", "2024Q1", "Kontanthjælp", 3, 8.7]


def csv_cell(count: str = "1", share: str = "8,7") -> bytes:
    return csv_file("Syddjurs;2024Q1;Kontanthjælp;3;8,7", f"Norddjurs;2024Q1;Kontanthjælp;{count};{share}")


def json_cell(count=1, share=8.7, raw: bytes | None = None) -> bytes:
    content = v3([GOOD, ["Norddjurs", "2024Q1", "Kontanthjælp", count, share]])
    return content.replace(b'"RAW"', raw) if raw else content


VALUES = [
    (
        "10^11 in CSV",
        csv_cell("100000000000"),
        f"Række 3, kolonne '{COUNT}': 1e+11 er for stort et tal (højst 99.999.999.999).",
    ),
    ("10^11 with Danish separators", csv_cell("100.000.000.000"), f"Række 3, kolonne '{COUNT}': 1e+11 er for stort"),
    ("inf in CSV", csv_cell("inf"), f"Række 3, kolonne '{COUNT}': 'inf' er ikke et tal."),
    ("1e400 in CSV", csv_cell("1e400"), f"Række 3, kolonne '{COUNT}': '1e400' er ikke et tal."),
    ("inf in the mapped share", csv_cell(share="inf"), f"Række 3, kolonne '{SHARE}': 'inf' er ikke et tal."),
    ("10^11 in JSON", json_cell(1e11), f"Række 2, kolonne '{COUNT}': 1e+11 er for stort et tal"),
    ("1e400 in JSON", json_cell("RAW", raw=b"1e400"), f"Række 2, kolonne '{COUNT}': 'inf' er ikke et tal."),
    ("-Infinity in JSON", json_cell("RAW", raw=b"-Infinity"), f"Række 2, kolonne '{COUNT}': '-inf' er ikke et tal."),
    ("list cell in JSON", json_cell([1, 2]), f"Række 2, kolonne '{COUNT}': '[1, 2]' er ikke et tal."),
    ("object cell in JSON", json_cell(share={"a": 1}), f"Række 2, kolonne '{SHARE}': '{{'a': 1}}' er ikke et tal."),
    ("nested cell in JSON", json_cell([[[[[[1]]]]]]), f"Række 2, kolonne '{COUNT}': '[[[[[[1]]]]]]' er ikke et tal."),
    ("boolean in JSON", json_cell(True), f"Række 2, kolonne '{COUNT}': 'True' er ikke et tal."),
    (
        "10^11 in NDJSON",
        json.dumps(dict(zip(HEADER, GOOD))).encode()
        + b"\n"
        + json.dumps(dict(zip(HEADER, ["Norddjurs", "2024Q1", "Kontanthjælp", 2e11, 8.7]))).encode(),
        f"Række 2, kolonne '{COUNT}': 2e+11 er for stort",
    ),
    (
        "10^11 in XLSX",
        xlsx(rows=[GOOD, ("Norddjurs", "2024Q1", "Kontanthjælp", 10**11, 8.7)]),
        f"Række 3, kolonne '{COUNT}': 1e+11 er for stort",
    ),
]


@pytest.mark.parametrize(("case", "content", "message"), VALUES, ids=[v[0] for v in VALUES])
def test_a_value_the_database_cannot_hold_gets_a_row_level_message(ordinary_hours, case, content, message):
    before = snapshot()
    name = "fuzz01.xlsx" if content[:2] == b"PK" else "fuzz01.csv"
    assert_refused(run(content, name), message)
    assert snapshot() == before


# --- property-based: generated and corrupted extracts ---------------------------------------------------


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(AREAS), st.integers(2015, 2025), st.integers(1, 4), st.integers(0, 10**9), st.integers(0, 1000)
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda r: (r[0], r[1], r[2]),
)


def danish(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def build(rows, form: str, encoding: str) -> bytes:
    """An extract of ordinary hours (cash benefit) in one of the formats jobindsats.dk writes."""
    cells = [[area, f"{year}Q{q}", "Kontanthjælp", count, tenths / 10] for area, year, q, count, tenths in rows]
    if form == "csv":
        lines = ["Jobindsats.dk;;;;", ";".join(HEADER)]
        lines += [f"{a};{p};{g};{danish(c)};{str(s).replace('.', ',')}" for a, p, g, c, s in cells]
        return ("\r\n".join(lines) + "\r\nKilde: Jobindsats.dk\r\n").encode(encoding)
    if form == "json":
        return v3(cells)
    if form == "ndjson":
        return b"\n".join(json.dumps(dict(zip(HEADER, c)), ensure_ascii=False).encode() for c in cells)
    return xlsx(rows=cells)


def position(data, content: bytes, end: int = 0) -> int:
    """A place in the file; drawn as a fraction, since an XLSX's length varies with its timestamp."""
    return data.draw(st.integers(0, 10**6)) * max(len(content) - end, 0) // 10**6


def corrupt(content: bytes, kind: str, data) -> bytes:
    if kind == "utf-32":
        try:
            return content.decode("utf-8").encode(data.draw(st.sampled_from(["utf-32", "utf-32-le", "utf-32-be"])))
        except UnicodeDecodeError:
            return b"\xff\xfe\x00\x00" + content
    if kind == "utf-16":
        try:
            return content.decode("utf-8").encode("utf-16")[: data.draw(st.sampled_from([None, -1, -3]))]
        except UnicodeDecodeError:
            return b"\xff\xfe" + content
    if kind == "nul":
        at = position(data, content)
        return content[:at] + b"\x00" * data.draw(st.integers(1, 3)) + content[at:]
    if kind == "truncate":
        return content[: position(data, content, end=1)]
    if kind == "huge number":
        number = data.draw(
            st.sampled_from([b"100000000000", b"1e400", b"inf", b"NaN", b"-1", b"-Infinity", b"[1]", b'{"a": 1}'])
        )
        return re.sub(rb"(?<=;)\d[\d.,]*(?=\r\n)|(?<=, )\d[\d.]*(?=\])|(?<=: )\d[\d.]*(?=\})", number, content, count=1)
    if kind == "extra column":
        return content.replace(b"\r\n", b";99;99\r\n", data.draw(st.integers(1, 3))).replace(b"]]", b", 1]]", 1)
    if kind == "random bytes":
        at = position(data, content)
        return content[:at] + data.draw(st.binary(min_size=1, max_size=40)) + content[at + 1 :]
    if kind == "cp1252 bytes":
        return content.replace("Område".encode(), "Område".encode("cp1252"), 1).replace(
            b"Kontanthj\xc3\xa6lp", b"Kontanthj\xe6lp", 1
        )
    raise AssertionError(kind)


CORRUPTIONS = ["utf-32", "utf-16", "nul", "truncate", "huge number", "extra column", "random bytes", "cp1252 bytes"]
FORMS = ["csv", "json", "ndjson", "xlsx"]


@given(
    rows=rows_strategy,
    form=st.sampled_from(FORMS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_a_generated_valid_extract_is_imported_correctly(ordinary_hours, rows, form, encoding):
    record = run(build(rows, form, encoding), f"fuzz01.{form}")
    assert record.state == DataImport.State.DONE, record.errors
    stored = dict(
        ((a, p), v)
        for a, p, v in Observation.objects.filter(indicator=ordinary_hours).values_list("area", "period_code", "value")
    )
    for area, year, q, _, tenths in rows:
        assert stored[(area, f"{year}Q{q}")] == Decimal(tenths) / 10


@given(
    rows=rows_strategy,
    form=st.sampled_from(FORMS),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
    kind=st.sampled_from(CORRUPTIONS),
    data=st.data(),
)
def test_a_corrupted_extract_ends_with_a_danish_reason_and_changes_nothing_when_refused(
    ordinary_hours, rows, form, encoding, kind, data
):
    content = corrupt(build(rows, form, encoding), kind, data)
    before = snapshot()
    record = run(content, f"fuzz01.{form}")
    assert record.state in (DataImport.State.DONE, DataImport.State.FAILED)
    assert record.finished_at is not None
    if record.state == DataImport.State.FAILED:
        assert record.errors and not any(UNEXPECTED in e for e in record.errors), record.errors
        assert all("\x00" not in e for e in record.errors)
        assert snapshot() == before


@given(content=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_end_in_a_final_state(ordinary_hours, content):
    before = snapshot()
    record = run(content)
    assert record.state in (DataImport.State.DONE, DataImport.State.FAILED)
    if record.state == DataImport.State.FAILED:
        assert not any(UNEXPECTED in e for e in record.errors), (content, record.errors)
        assert snapshot() == before
