"""Issue 25: the full-time persons of the Jobindsats tables "Antal personer og fuldtidspersoner" arrive through the
import (plans.imports.benefit_figures): the shipped synthetic samples import whole; a file that cannot give them
says so, and fails when nothing else takes from it; generated files keep exactly their total rows."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from plans.core.benefits import FULL_TIME_TABLES
from plans.imports import service
from plans.imports.models import DataImport
from plans.imports.validation import WARNING
from plans.models import BenefitFigure, Observation
from tests.paths import ROOT

pytestmark = pytest.mark.django_db

SAMPLES = ROOT / "plans" / "seed" / "synthetic"
HEADER = "Area;Periode;Køn;Antal personer;Antal fuldtidspersoner;Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år"


def run(content: bytes, name: str, table: str = "") -> DataImport:
    record = service.create(ContentFile(content, name=name), None, table=table)
    return service.process(record.pk)[0]


def total_rows(path: Path) -> dict[tuple, Decimal]:
    """{(area, period): full-time persons} of the rows whose every dimension is a total, read with csv, not pandas."""
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    dimensions = [c for c in rows[0] if c in ("Køn", "Ydelsesgrupper", "Visitationskategori")]
    return {
        (r["Area"], r["Periode"]): Decimal(r["Antal fuldtidspersoner"])
        for r in rows
        if all(r[d].endswith("i alt") for d in dimensions)
    }


@pytest.mark.parametrize("table", FULL_TIME_TABLES)
def test_synthetic_sample_imports_every_total_row(table):
    path = SAMPLES / f"{table.lower()}_fuldtidspersoner_SYNTETISK.csv"
    assert "SYNTETISK" in path.name
    record = run(path.read_bytes(), path.name)
    assert record.state == DataImport.State.DONE, record.errors
    stored = {
        (f.area, f.period_code): f.full_time_persons
        for f in BenefitFigure.objects.filter(table=table).only("area", "period_code", "full_time_persons")
    }
    assert stored == total_rows(path)
    assert not any(n.startswith(WARNING) for n in record.notes), record.notes


def test_synthetic_sample_keeps_the_shares_and_the_import():
    path = SAMPLES / "y01a02_fuldtidspersoner_SYNTETISK.csv"
    record = run(path.read_bytes(), path.name)
    figure = BenefitFigure.objects.get(table="Y01A02", area="Norddjurs", period_code="2026M03")
    line = next(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("Norddjurs;2026M03;Køn i alt;")
    ).split(";")
    assert figure.persons == Decimal(line[3])
    assert figure.share_of_labour_force == Decimal(line[5].replace(",", "."))
    assert figure.share_of_population == Decimal(line[6].replace(",", "."))
    assert (figure.period_start.isoformat(), figure.period_end.isoformat()) == ("2026-03-01", "2026-03-31")
    assert figure.data_import == record


def test_newer_file_replaces_a_period_and_keeps_the_rest():
    first = f"{HEADER}\nNorddjurs;2026M01;Køn i alt;600;500;2,9\nNorddjurs;2026M02;Køn i alt;610;510;3,0\n"
    second = f"{HEADER}\nNorddjurs;2026M02;Køn i alt;620;520;3,0\n"
    assert run(first.encode(), "y01a02_1.csv").state == DataImport.State.DONE
    assert run(second.encode(), "y01a02_2.csv").state == DataImport.State.DONE
    values = dict(BenefitFigure.objects.filter(table="Y01A02").values_list("period_code", "full_time_persons"))
    assert values == {"2026M01": Decimal("500.000"), "2026M02": Decimal("520.000")}


def test_file_without_full_time_persons_and_no_mapping_fails_in_danish():
    content = "Area;Periode;Køn;Antal personer\nNorddjurs;2026M01;Køn i alt;600\n"
    record = run(content.encode(), "y01a02_personer.csv")
    assert record.state == DataImport.State.FAILED
    assert "tabel Y01A02 (A-dagpenge: antal personer og fuldtidspersoner)" in record.errors[0]
    assert "kolonnen 'Antal fuldtidspersoner' findes ikke i den" in record.errors[0]
    assert not BenefitFigure.objects.exists()


def test_dimension_without_a_total_fails_naming_its_values():
    content = f"{HEADER}\nNorddjurs;2026M01;Mænd;300;250;1,4\nNorddjurs;2026M01;Kvinder;300;250;1,4\n"
    record = run(content.encode(), "y07a02.csv")
    assert record.state == DataImport.State.FAILED
    assert "kolonnen 'Køn' har ingen række for i alt (værdier: 'Mænd', 'Kvinder')" in record.errors[0]
    assert not BenefitFigure.objects.exists()


def test_two_total_rows_for_one_month_fail():
    content = f"{HEADER}\nNorddjurs;2026M01;Køn i alt;600;500;2,9\nNorddjurs;2026M01;Køn i alt;600;510;2,9\n"
    record = run(content.encode(), "y07a02.csv")
    assert record.state == DataImport.State.FAILED
    assert "Norddjurs 2026M01 har flere rækker for i alt" in record.errors[0]


def test_file_a_mapping_reads_without_full_time_persons_imports_and_warns():
    """Goal 5.1 reads 'Antal personer' of Y09A02: the file feeds it, and the budget's part is a warning."""
    content = "Område;Periode;Køn;Antal personer\nNorddjurs;2026M01;Køn i alt;60\nHele landet;2026M01;Køn i alt;9000\n"
    record = run(content.encode(), "y09a02_personer.csv")
    assert record.state == DataImport.State.DONE, record.errors
    assert record.notes[0].startswith(WARNING)
    assert "kolonnen 'Antal fuldtidspersoner' findes ikke" in record.notes[0]
    assert "Koblingernes tal er indlæst." in record.notes[0]


def test_unknown_table_with_full_time_persons_is_not_taken_for_one():
    """Without the table's id the benefit is unknown: the file feeds no mapping and fails, nothing is stored."""
    content = f"{HEADER}\nNorddjurs;2026M01;Køn i alt;600;500;2,9\n"
    record = run(content.encode(), "udtraek.csv")
    assert record.state == DataImport.State.FAILED
    assert not BenefitFigure.objects.exists()
    assert not Observation.objects.filter(data_import=record).exists()


AREAS = st.sampled_from(["Norddjurs", "Syddjurs", "Hele landet", "Randers", "Aarhus"])
MONTHS = st.sampled_from([f"2025M{m:02d}" for m in range(1, 13)])
SEXES = st.sampled_from(["Køn i alt", "Mænd", "Kvinder"])
ROWS = st.lists(st.tuples(AREAS, MONTHS, SEXES, st.integers(min_value=0, max_value=10**6)), min_size=1, max_size=40)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_generated_file_stores_exactly_its_total_rows_or_fails_whole(rows):
    BenefitFigure.objects.all().delete()
    out = io.StringIO()
    out.write("Area;Periode;Køn;Antal fuldtidspersoner\n")
    for area, period, sex, value in rows:
        out.write(f"{area};{period};{sex};{value}\n")
    record = run(out.getvalue().encode(), "y10a02_genereret_SYNTETISK.csv")
    totals = [(a, p, v) for a, p, s, v in rows if s == "Køn i alt"]
    distinct = {(a, p) for a, p, _v in totals}
    stored = dict(((f.area, f.period_code), f.full_time_persons) for f in BenefitFigure.objects.filter(table="Y10A02"))
    if not totals or len(distinct) < len(totals):
        # No total row, or a month twice: refused whole, with a Danish reason.
        assert record.state == DataImport.State.FAILED
        assert record.errors and "Filen er fra tabel Y10A02" in record.errors[0]
        assert stored == {}
    else:
        assert record.state == DataImport.State.DONE, record.errors
        assert stored == {(a, p): Decimal(v) for a, p, v in totals}
