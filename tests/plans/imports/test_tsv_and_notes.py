"""Issue 24: a tab-separated extract reads as its CSV does, and an unchanged file gets one note, not two alike."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.imports import service
from plans.models import DataImport, Observation
from tests.paths import DATA

pytestmark = pytest.mark.django_db

SAMPLE = "sample_y30r21_excel.csv"  # the website's CSV as Excel saves it: Windows-1252, semicolons


def _as_tsv(content: bytes) -> bytes:
    rows = csv.reader(io.StringIO(content.decode("cp1252"), newline=""), delimiter=";")
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp1252")


def _run(content: bytes, name: str) -> DataImport:
    record = service.create(ContentFile(content, name=name), None)
    return service.process(record.pk)[0]


def _observations():
    return sorted(
        Observation.objects.filter(data_import__isnull=False).values_list(
            "indicator_id", "area", "period_code", "value", "comparison"
        )
    )


def test_tsv_extract_gives_the_same_figures_as_its_csv():
    content = (DATA / SAMPLE).read_bytes()
    from_csv = _run(content, SAMPLE)
    assert from_csv.state == DataImport.State.DONE, from_csv.errors
    expected = _observations()
    Observation.objects.filter(data_import__isnull=False).delete()
    tsv = _as_tsv(content)
    assert b"\t" in tsv and b";" not in tsv.splitlines()[3]  # the header line is tab-separated
    from_tsv = _run(tsv, "y30r21_udtraek.tsv")
    assert from_tsv.state == DataImport.State.DONE, from_tsv.errors
    assert from_tsv.file_format == "TSV (Windows-1252)" and from_csv.file_format == "CSV (Windows-1252)"
    assert _observations() == expected and len(expected) == 4


def test_tab_separated_content_named_csv_is_read_by_its_content():
    record = _run(_as_tsv((DATA / SAMPLE).read_bytes()), "y30r21_udtraek.csv")
    assert record.state == DataImport.State.DONE and record.file_format.startswith("TSV")


def test_upload_form_accepts_a_tsv_file(client_for, administrator):
    tsv = _as_tsv((DATA / SAMPLE).read_bytes())
    response = client_for(administrator).post(
        reverse("imports:list"), {"files": [SimpleUploadedFile("y30r21_udtraek.tsv", tsv)]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = DataImport.objects.get()
    assert record.original_name == "y30r21_udtraek.tsv" and record.file.name.endswith(".tsv")


def test_unchanged_file_uploaded_again_gets_one_note_that_nothing_changed():
    content = (DATA / SAMPLE).read_bytes()
    first = _run(content, SAMPLE)
    again = _run(content, SAMPLE)
    said = [n for n in again.notes if "samme fil" in n or "ændre" in n]
    assert len(said) == 1, again.notes
    assert said[0].startswith(service.SAME_FILE) and f"#{first.pk}" in said[0] and "ikke læst igen" in said[0]
