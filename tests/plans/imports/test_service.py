"""Quarterly data import: every shipped format, bad input in all its forms, idempotency and history."""

import html
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from plans.imports import service, tasks
from plans.models import BenchmarkResult, DataImport, ExtractMapping, Indicator, Observation, ObservationChange
from plans.services import status
from tests.paths import DATA

pytestmark = pytest.mark.django_db

SAMPLES = [
    "sample_y30r21_api_v2.json",
    "sample_y30r21_api_v3.json",
    "sample_y30r21_api.csv",
    "sample_y30r21_excel.csv",
    "sample_y30r21.xlsx",
]
SHARE = "Andel personer med ordinære timer (pct.)"


def run(content: bytes, name: str = "udtraek.csv", user=None) -> DataImport:
    """Upload and process a file as the worker does: read, validate, apply, refresh the statuses."""
    record = service.create(ContentFile(content, name=name), user)
    record, touched = service.process(record.pk)
    status.refresh(touched)
    return record


def observations():
    return sorted(
        Observation.objects.filter(data_import__isnull=False).values_list(
            "indicator_id", "area", "period_code", "value", "comparison"
        )
    )


@pytest.fixture
def ordinary_hours():
    """An administrator's mapping: 6.10 from the website extract of ordinary hours (cash benefit)."""
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    ExtractMapping.objects.create(
        indicator=indicator,
        table="OTIJ01",
        measure=SHARE,
        comparison_area="Hele landet",
        filters={"Ydelsesgrupper": "Kontanthjælp"},
    )
    return indicator


def website_csv(*rows: str, encoding="cp1252") -> bytes:
    lines = [
        "Jobindsats.dk;;;;",
        "Antal og andel ydelsesmodtagere med ordinære timer;;;;",
        ";;;;",
        f"Område;Periode;Ydelsesgrupper;Antal personer i alt;{SHARE}",
        *rows,
        ";;;;",
        "Kilde: Jobindsats.dk;;;;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD_ROWS = [
    "Hele landet;2024Q1;Kontanthjælp;52.340;9,8",
    "Hele landet;2024Q2;Kontanthjælp;51.870;10,4",
    "Norddjurs;2024Q1;Kontanthjælp;412;8,7",
    "Norddjurs;2024Q2;Kontanthjælp;405;9,1",
    "Norddjurs;2024Q2;Uddannelseshjælp;96;-",
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_format_imports_the_benchmark_for_goal_1_1(sample):
    record = run((DATA / sample).read_bytes(), sample)
    assert record.state == DataImport.State.DONE, record.errors
    indicator = Indicator.objects.get(goal__major=1, goal__minor=1)
    assert observations() == [
        (indicator.id, "Norddjurs", "2024QMAT02", Decimal("2120"), Decimal("2160")),
        (indicator.id, "Norddjurs", "2024QMAT04", Decimal("2150"), Decimal("2180")),
        (indicator.id, "Syddjurs", "2024QMAT02", Decimal("2440"), Decimal("2470")),
        (indicator.id, "Syddjurs", "2024QMAT04", Decimal("2450"), Decimal("2490")),
    ]
    assert (record.rows_imported, record.rows_skipped, record.observations_changed) == (4, record.rows_read - 4, 4)
    ranks = dict(BenchmarkResult.objects.filter(period__code="2024QMAT04").values_list("benefit_group", "rank"))
    assert ranks == {"Ydelsesgrupper i alt": 28, "A-dagpenge mv.": 54, "Sygedagpenge mv.": 9, "Kontanthjælp mv.": 55}


def test_all_sample_formats_give_the_same_observations():
    results = []
    for sample in SAMPLES:
        Observation.objects.filter(data_import__isnull=False).delete()
        assert run((DATA / sample).read_bytes(), sample).state == DataImport.State.DONE
        results.append(observations())
    assert all(r == results[0] for r in results)


@pytest.mark.parametrize("sample", sorted(p.name for p in DATA.glob("*synthetic*")))
def test_the_formats_folders_samples_are_read(sample):
    from plans.imports.reading import read_extract

    extract = read_extract((DATA / sample).read_bytes())
    assert {extract.area_column, extract.period_column} <= set(extract.frame.columns)
    assert len(extract.frame) >= 5


def test_website_csv_with_comparison_from_hele_landet(ordinary_hours):
    record = run(website_csv(*GOOD_ROWS))
    assert record.state == DataImport.State.DONE, record.errors
    rows = dict(((a, p), (v, c)) for _, a, p, v, c in observations())
    assert rows[("Norddjurs", "2024Q2")] == (Decimal("9.1"), Decimal("10.4"))
    assert rows[("Hele landet", "2024Q1")] == (Decimal("9.8"), None)
    assert record.rows_skipped == 1  # Uddannelseshjælp: another benefit group, and no value ("-")
    assert "'Antal personer i alt'" in record.notes[0]  # reported, not guessed


def test_same_file_twice_changes_nothing(ordinary_hours):
    content = website_csv(*GOOD_ROWS)
    run(content)
    before = list(Observation.objects.values_list("id", "value", "updated_at"))
    second = run(content)
    assert second.state == DataImport.State.DONE
    assert second.observations_changed == 0
    assert "Den samme fil blev indlæst i import" in second.notes[0]
    assert list(Observation.objects.values_list("id", "value", "updated_at")) == before
    assert not ObservationChange.objects.exists()


def test_newer_extract_replaces_values_and_keeps_history(ordinary_hours):
    first = run(website_csv(*GOOD_ROWS))
    second = run(website_csv(*[r.replace("405;9,1", "405;9,3") for r in GOOD_ROWS]))
    assert second.observations_changed == 1
    observation = Observation.objects.get(indicator=ordinary_hours, area="Norddjurs", period_code="2024Q2")
    assert (observation.value, observation.data_import) == (Decimal("9.3"), second)
    change = ObservationChange.objects.get()
    assert (change.value, change.set_by_import, change.replaced_by_import) == (Decimal("9.1"), first, second)


def test_import_refreshes_the_goal_status(ordinary_hours, django_capture_on_commit_callbacks, eager_tasks):
    today = date.today()
    this, last = f"{today.year}Q{(today.month - 1) // 3 + 1}", f"{today.year - 1}Q{(today.month - 1) // 3 + 1}"
    content = website_csv(f"Norddjurs;{last};Kontanthjælp;400;9,0", f"Norddjurs;{this};Kontanthjælp;410;9,6")
    with django_capture_on_commit_callbacks(execute=True):
        run(content)
    ordinary_hours.refresh_from_db()
    assert ordinary_hours.get_status_display() == "På sporet"


# --- bad input: a clear Danish error, and nothing changes ----------------------------------------------


@pytest.fixture
def existing(ordinary_hours):
    """A good import first, so that every failure below must leave its values alone."""
    run(website_csv(*GOOD_ROWS))
    return list(Observation.objects.order_by("pk").values_list("pk", "value", "comparison", "updated_at"))


def assert_failed_and_unchanged(record, existing, message):
    assert record.state == DataImport.State.FAILED
    assert any(message in error for error in record.errors), record.errors
    assert list(Observation.objects.order_by("pk").values_list("pk", "value", "comparison", "updated_at")) == existing


BAD_FILES = [
    ("empty", b"", "Filen er tom."),
    ("only blanks", b"  \r\n ", "Filen er tom."),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Filen er ikke en tekstfil"),
    ("unreadable encoding", b"Omr\x81de;Periode\r\nNorddjurs;2024Q1\x8d\r\n", "tegnsæt kan ikke læses"),
    ("no header", b"a;b;c\r\n1;2;3\r\n", "ingen overskriftslinje"),
    ("renamed period column", website_csv(*GOOD_ROWS).replace(b"Periode", b"Tid"), "ingen overskriftslinje"),
    (
        "renamed measure",
        website_csv(*GOOD_ROWS).replace(b"med ordin\xe6re timer (pct.)", b"(pct.)"),
        "Ingen af filens målinger er koblet",
    ),
    (
        "not a number",
        website_csv("Norddjurs;2024Q1;Kontanthjælp;412;12,5%x"),
        "Række 5, kolonne 'Andel personer med ordinære timer (pct.)': '12,5%x' er ikke et tal.",
    ),
    (
        "share over 100",
        website_csv("Norddjurs;2024Q1;Kontanthjælp;412;112,5"),
        "Række 5, kolonne 'Andel personer med ordinære timer (pct.)': 112,5 ligger uden for 0-100 %",
    ),
    (
        "unknown period",
        website_csv("Norddjurs;2024X1;Kontanthjælp;412;8,7"),
        "Række 5, kolonne 'Periode': '2024X1' er ikke en kendt periode",
    ),
    (
        "duplicated rows",
        website_csv("Norddjurs;2024Q1;Kontanthjælp;412;8,7", "Norddjurs;2024Q1;Kontanthjælp;412;8,9"),
        "Række 5 og 6: Norddjurs, 2024Q1 står flere gange med forskellige værdier (8,7 og 8,9).",
    ),
    ("too many fields", website_csv("Norddjurs;2024Q1;Kontanthjælp;412;8,7;9;9"), "flere end overskriften"),
    ("API key error", '{"Forkert nøgle eller nøglen er udløbet.":""}'.encode(), "fejlmeddelelse fra Jobindsats"),
    ("truncated JSON", b'[{"Variables": [', "JSON-filen er afkortet"),
    ("broken JSON", b'[{"Variables": ]}]', "JSON-filen kan ikke læses"),
    ("JSON of another shape", b'{"data": []}', "ikke Jobindsats' form"),
    ("broken XLSX", b"PK\x03\x04not really a zip", "beskadiget"),
]


@pytest.mark.parametrize(("case", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_and_changes_nothing(existing, case, content, message):
    assert_failed_and_unchanged(run(content), existing, message)


def test_valid_rows_are_not_applied_when_another_row_is_bad(existing):
    record = run(website_csv("Norddjurs;2024Q3;Kontanthjælp;412;8,7", "Norddjurs;2024Q4;Kontanthjælp;412;abc"))
    assert_failed_and_unchanged(record, existing, "'abc' er ikke et tal")
    assert not Observation.objects.filter(period_code="2024Q3").exists()


def test_many_errors_are_capped_with_a_count(ordinary_hours):
    rows = [f"Norddjurs;2024Q1;Kontanthjælp;1;x{i}" for i in range(250)]
    record = run(website_csv(*rows))
    assert len(record.errors) == 201 and record.errors[-1] == "… og 50 fejl mere."


def test_xlsx_zip_bomb_is_refused(existing, settings):
    settings.IMPORT_MAX_XLSX_UNPACKED_BYTES = 10 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert_failed_and_unchanged(run(buffer.getvalue(), "bombe.xlsx"), existing, "zip-bombe")


def test_upload_form_refuses_wrong_type_and_oversize(client_for, administrator, settings):
    client = client_for(administrator)
    response = client.post(reverse("imports:list"), {"files": [SimpleUploadedFile("rapport.pdf", b"%PDF-1.4")]})
    assert "'rapport.pdf' er ikke en CSV-, TSV-, XLSX- eller JSON-fil" in html.unescape(response.content.decode())
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = client.post(
        reverse("imports:list"), {"files": [SimpleUploadedFile("stor.csv", b"x" * (2 * 1024 * 1024))]}
    )
    assert "fylder 2 MB; grænsen er 1 MB" in html.unescape(response.content.decode())
    response = client.post(reverse("imports:list"), {"files": [SimpleUploadedFile("tom.csv", b"")]})
    assert response.status_code == 200 and "tom" in response.content.decode()
    assert not DataImport.objects.exists()


def test_upload_page_queues_and_shows_the_result(
    client_for, administrator, ordinary_hours, django_capture_on_commit_callbacks, eager_tasks
):
    client = client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process without Redis
        response = client.post(
            reverse("imports:list"), {"files": [SimpleUploadedFile("ordinaere.csv", website_csv(*GOOD_ROWS))]}
        )
    record = DataImport.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[record.pk])
    response = client.get(response["Location"])
    assert record.uploaded_by == administrator and record.original_name == "ordinaere.csv"
    assert "Filen er indlæst. Rækker brugt: 4." in response.content.decode()
    assert not Path(record.file.path).name.startswith("ordinaere")  # the stored name is not the uploaded one
    status = client.get(reverse("imports:status", args=[record.pk])).json()
    assert status == {
        "state": "gennemfoert",
        "state_label": "Gennemført",
        "finished": True,
        "rows_total": 5,
        "rows_processed": 5,
    }


def test_failed_upload_page_lists_the_errors(
    client_for, administrator, ordinary_hours, django_capture_on_commit_callbacks, eager_tasks
):
    client = client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:list"),
            {"files": [SimpleUploadedFile("fejl.csv", website_csv("Norddjurs;2024Q1;Kontanthjælp;412;12,5%x"))]},
        )
    text = client.get(response["Location"]).content.decode()
    assert "Filen er ikke indlæst, og ingen tal er ændret." in text
    assert (
        "Række 5, kolonne &#x27;Andel personer med ordinære timer (pct.)&#x27;: &#x27;12,5%x&#x27; er ikke et tal."
        in text
    )


@pytest.mark.parametrize("persona", ["member", "caseworker"])
def test_import_pages_are_for_administrators_only(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (reverse("imports:list"), reverse("imports:mappings"), reverse("imports:mapping_new")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("imports:list"), {"files": [SimpleUploadedFile("a.csv", b"x")]}).status_code == 403
    assert not DataImport.objects.exists()


def test_administrator_creates_a_mapping(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=6, goal__minor=9)  # no seeded mapping
    response = client_for(administrator).post(
        reverse("imports:mapping_new"),
        {
            "indicator": indicator.id,
            "table": "OTIJ01",
            "measure": SHARE,
            "filters": "Ydelsesgrupper = Kontanthjælp",
            "confidence": "administrator",
            "active": "on",
        },
        follow=True,
    )
    assert "Koblingen er gemt." in response.content.decode()
    assert ExtractMapping.objects.get(indicator=indicator).filters == {"Ydelsesgrupper": "Kontanthjælp"}


def test_mapping_form_refuses_bad_filters_and_two_comparisons(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=6, goal__minor=9)  # no seeded mapping
    response = client_for(administrator).post(
        reverse("imports:mapping_new"),
        {
            "indicator": indicator.id,
            "measure": SHARE,
            "comparison_area": "Hele landet",
            "comparison_measure": "X",
            "filters": "Ydelsesgrupper Kontanthjælp",
        },
    )
    text = response.content.decode()
    assert "Linje 1 skal have formen" in text
    assert not ExtractMapping.objects.filter(indicator=indicator).exists()


def test_import_extract_command(capsys, tmp_path):
    call_command("import_extract", str(DATA / "sample_y30r21_api_v3.json"))
    out = capsys.readouterr().out
    assert "sample_y30r21_api_v3.json: indlæst. Rækker brugt: 4, sprunget over: 7, nye eller ændrede tal: 4." in out
    unmapped = tmp_path / "udtraek.csv"  # no table in its name, and no mapping reads its measure
    unmapped.write_text("Område;Periode;Antal deltagere\nNorddjurs;2025M06;12\n", encoding="utf-8")
    with pytest.raises(Exception, match="1 af 1 filer kunne ikke indlæses"):
        call_command("import_extract", str(unmapped))


def test_requeue_finds_imports_that_were_never_queued(ordinary_hours, eager_tasks):
    record = service.create(ContentFile(website_csv(*GOOD_ROWS), name="a.csv"), None)
    DataImport.objects.filter(pk=record.pk).update(uploaded_at=record.uploaded_at - timedelta(minutes=10))
    assert tasks.requeue_waiting_imports() == 1  # eager mode: it ran at once
    assert DataImport.objects.get(pk=record.pk).state == DataImport.State.DONE


def test_beat_runs_the_nightly_refresh_and_the_requeue(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule == {
        "plans.tasks.refresh_statuses",
        "plans.imports.tasks.requeue_waiting_imports",
        "events.tasks.delete_expired_personal_data",
        "plans.imports.fetch_tasks.fetch_jobindsats",
        "plans.collection.tasks.send_collection_reminders",
        "portal.digest.tasks.send_digests",
        "investments.pool.tasks.delete_refused_personal_data",
    }


def test_nightly_refresh_marks_old_data_as_missing(ordinary_hours):
    from plans.evaluation import Status
    from plans.tasks import refresh_statuses

    ordinary_hours.status = Status.ON_TRACK
    ordinary_hours.save()
    run(website_csv(*GOOD_ROWS))  # figures for 2024: long overdue for a half-yearly goal
    refresh_statuses()  # what beat calls each night, with no arguments
    ordinary_hours.refresh_from_db()
    assert ordinary_hours.status == Status.MISSING_DATA
    assert "Nyeste tal er for 2. kvt. 2024" in ordinary_hours.status_reason
