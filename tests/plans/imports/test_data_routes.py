"""A data route for every goal: real national extracts, every column checked, ratios, the local template."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from plans.core import areas
from plans.imports import columns, service
from plans.imports.models import DataImport, ExtractMapping, RatioPart
from plans.models import BenchmarkResult, Indicator, Observation
from plans.services import status
from tests.paths import DATA, ROOT

pytestmark = pytest.mark.django_db

SHARED = ROOT.parent / "shared" / "formats" / "municipalities.txt"
Y30R21_LABELS = [
    "Area",
    "Periode",
    "Ydelsesgrupper",
    "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: Forventet antal",
    "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: Faktisk antal",
    "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: Forskel mellem forventet og faktisk antal",
    "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: Forventet andel (pct.)",
    "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: Faktisk andel (pct.)",
    "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: Forskel mellem forventet og faktisk andel (pct. point)",
    "Placering på benchmarkranglisten",
]
GROUPS = ["Ydelsesgrupper i alt", "A-dagpenge mv.", "Sygedagpenge mv.", "Kontanthjælp mv."]
PERIODS = ["2023QMAT02", "2023QMAT04", "2024QMAT02", "2024QMAT04", "2025QMAT02", "2025QMAT04"]


def run(content: bytes, name: str = "udtraek.csv", table: str = "") -> DataImport:
    record = service.create(ContentFile(content, name=name), None, table=table)
    record, touched = service.process(record.pk)
    status.refresh(touched)
    return record


def listed_municipalities(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def national_rows(names: list[str]) -> list[list]:
    """Table Y30R21 as the API returns it for area=*: every municipality, benefit group and period."""
    rows = []
    for p, period in enumerate(PERIODS):
        for g, group in enumerate(GROUPS):
            order = sorted(names, key=lambda n: (hash((n, p, g)) % 997, n))
            for n, name in enumerate(names):
                expected = 1000 + 37 * n + 11 * g + 3 * p
                actual = expected - 20 + (n % 41)
                rows.append(
                    [
                        name,
                        period,
                        group,
                        expected,
                        actual,
                        actual - expected,
                        "9,42",
                        "9,25",
                        "-0,17",
                        order.index(name) + 1,
                    ]
                )
    return rows


def api_v2(labels, rows) -> bytes:
    return json.dumps(
        [{"Variables": [{"Label": label} for label in labels], "Data": rows}], ensure_ascii=False
    ).encode()


# --- areas ---------------------------------------------------------------------------------------------


def test_municipalities_match_the_real_api_response_name_for_name():
    assert set(listed_municipalities(DATA / "jobindsats_municipalities.txt")) == areas.MUNICIPALITIES
    assert len(areas.MUNICIPALITIES) == 98


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/formats is not beside this checkout")
def test_municipalities_match_the_shared_formats_copy():
    assert set(listed_municipalities(SHARED)) == areas.MUNICIPALITIES


def test_kommune_suffix_and_jobcenter_prefix_are_stripped():
    import pandas as pd

    names = pd.Series(["Vesthimmerlands Kommune", " Lyngby-Taarbæk  Kommune", "Jobcenter Norddjurs", "Hele landet"])
    assert list(areas.normalise(names)) == ["Vesthimmerlands", "Lyngby-Taarbæk", "Norddjurs", "Hele landet"]


# --- the real national extract ---------------------------------------------------------------------------


def test_national_extract_for_all_98_municipalities_imports_and_again_changes_nothing():
    content = api_v2(Y30R21_LABELS, national_rows(sorted(areas.MUNICIPALITIES)))
    record = run(content, "y30r21_alle_kommuner.json")
    assert record.state == DataImport.State.DONE, record.errors
    assert record.rows_read == 2352
    indicator = Indicator.objects.get(goal__major=1, goal__minor=1)
    mine = Observation.objects.filter(indicator=indicator, data_import=record)
    assert mine.count() == 98 * len(PERIODS)
    assert set(mine.values_list("area", flat=True)) == areas.MUNICIPALITIES
    assert BenchmarkResult.objects.filter(period__code="2025QMAT04").count() == 4
    again = run(content, "y30r21_alle_kommuner.json")
    assert (again.state, again.observations_changed) == (DataImport.State.DONE, 0)


def test_overview_shows_1_1_newest_value_after_a_real_import(client_for, member):
    run(api_v2(Y30R21_LABELS, national_rows(sorted(areas.MUNICIPALITIES))), "y30r21.json")
    newest = Observation.objects.get(
        indicator__goal__major=1, indicator__goal__minor=1, area="Norddjurs", period_code="2025QMAT04"
    )
    page = client_for(member).get(reverse("plans:goal_list")).content.decode()
    assert f"{newest.value:,.0f}".replace(",", ".") in page
    assert newest.period.label in page


def test_uoplyst_omraade_is_kept_out_and_named_in_the_report():
    rows = national_rows(["Norddjurs", "Syddjurs"]) + [
        ["Uoplyst område", "2025QMAT04", "Ydelsesgrupper i alt", 12, 10, -2, "1,0", "0,9", "-0,1", 1]
    ]
    record = run(api_v2(Y30R21_LABELS, rows))
    assert record.state == DataImport.State.DONE, record.errors
    assert not Observation.objects.filter(area="Uoplyst område").exists()
    assert (
        "1 række med 'Uoplyst område' (personer, jobindsats.dk ikke kan placere i en kommune) er ikke med i tallene."
        in record.notes
    )


def test_unknown_area_is_skipped_with_its_name_and_row_count():
    rows = national_rows(["Norddjurs", "Atlantis"])
    record = run(api_v2(Y30R21_LABELS, rows))
    assert record.state == DataImport.State.DONE, record.errors
    assert not Observation.objects.filter(area="Atlantis").exists()
    assert Observation.objects.filter(area="Norddjurs", data_import=record).exists()
    assert f"Ukendte områder blev sprunget over: 'Atlantis' ({len(rows) // 2} rækker)." in record.notes


# --- every column is checked, mapped or not ---------------------------------------------------------------


def small_extract(changes: dict | None = None) -> bytes:
    rows = national_rows(["Norddjurs"])
    for (row, column), value in (changes or {}).items():
        rows[row][column] = value
    return api_v2(Y30R21_LABELS, rows)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({(0, 7): "140,04"}, "Række 1, kolonne '" + Y30R21_LABELS[7] + "': 140,04 ligger uden for 0-100 %"),
        ({(1, 9): "x9"}, "Række 2, kolonne 'Placering på benchmarkranglisten': 'x9' er ikke et tal."),
        ({(2, 9): -3}, "Række 3, kolonne 'Placering på benchmarkranglisten': -3 er negativ"),
        ({(0, 8): "-140,5"}, "ligger uden for ±100 procentpoint"),
        ({(0, 3): 10**11}, "er for stort et tal"),
        ({(0, 3): [1, 2]}, "'[1, 2]' er ikke et tal."),
        ({(0, 3): {"a": 1}}, "er ikke et tal."),
    ],
    ids=[
        "share over 100 in an unmapped column",
        "text in a benchmark cell",
        "negative rank",
        "pp below -100",
        "too large for the database",
        "a list in a cell",
        "an object in a cell",
    ],
)
def test_every_measure_column_is_checked_and_nothing_changes(changes, message):
    before = Observation.objects.count()
    record = run(small_extract(changes))
    assert record.state == DataImport.State.FAILED
    assert any(message in error for error in record.errors), record.errors
    assert Observation.objects.count() == before
    assert not BenchmarkResult.objects.filter(period__code="2025QMAT04").exists()


def test_ndjson_is_read_as_rows():
    lines = [json.dumps(dict(zip(Y30R21_LABELS, row)), ensure_ascii=False) for row in national_rows(["Norddjurs"])]
    record = run("\n".join(lines).encode(), "y30r21.ndjson")
    assert record.state == DataImport.State.DONE, record.errors
    assert record.file_format.startswith("NDJSON")
    assert Observation.objects.filter(data_import=record).count() == len(PERIODS)


def test_truncated_json_says_it_is_truncated():
    content = small_extract()
    record = run(content[: len(content) // 2])
    assert record.state == DataImport.State.FAILED
    assert record.errors == ["JSON-filen er afkortet: den slutter, før data er færdige. Hent udtrækket igen."]


# --- ratios and tables ----------------------------------------------------------------------------------------


def counts_csv(measure: str, rows: list[tuple]) -> bytes:
    lines = [f"Område;Periode;Køn;{measure}"] + [f"{a};{p};{k};{v}" for a, p, k, v in rows]
    return "\n".join(lines).encode()


@pytest.fixture
def flex_rate():
    """5.1: ledighedsydelse / (fleksjob + ledighedsydelse), from two tables with the same columns."""
    indicator = Indicator.objects.get(goal__major=5, goal__minor=1)
    ExtractMapping.objects.filter(indicator=indicator).delete()
    return ExtractMapping.objects.create(
        indicator=indicator,
        table="Y09A02",
        measure="Antal personer",
        filters={"Køn": "Køn i alt"},
        denominator_table="Y08A02",
        denominator_measure="Antal personer",
        denominator_filters={"Køn": "Køn i alt"},
        denominator_adds_numerator=True,
        comparison_area="Hele landet",
    )


def test_ratio_across_two_tables_waits_for_both_files(flex_rate):
    fleksjob = counts_csv(
        "Antal personer",
        [
            ("Norddjurs", "2025M06", "Køn i alt", 300),
            ("Hele landet", "2025M06", "Køn i alt", 90000),
            ("Norddjurs", "2025M06", "Mænd", 140),
        ],
    )
    ledighed = counts_csv(
        "Antal personer", [("Norddjurs", "2025M06", "Køn i alt", 60), ("Hele landet", "2025M06", "Køn i alt", 10000)]
    )
    first = run(fleksjob, "y08a02_fleksjob.csv")
    assert first.state == DataImport.State.DONE, first.errors
    assert not Observation.objects.filter(indicator=flex_rate.indicator, period_code="2025M06").exists()
    assert RatioPart.objects.filter(mapping=flex_rate).count() == 2
    second = run(ledighed, "ledighedsydelse.csv", table="Y09A02")
    assert second.state == DataImport.State.DONE, second.errors
    observation = Observation.objects.get(indicator=flex_rate.indicator, area="Norddjurs", period_code="2025M06")
    assert (observation.value, observation.comparison) == (Decimal("16.667"), Decimal("10.000"))  # 60/360, 10000/100000


def test_ratio_within_one_table_divides_by_the_total_row():
    indicator = Indicator.objects.get(goal__major=6, goal__minor=11)
    ExtractMapping.objects.filter(indicator=indicator).delete()
    ExtractMapping.objects.create(
        indicator=indicator,
        table="Y38A02",
        measure="Antal personer",
        filters={"Visitationskategori": "Aktivitetsparat"},
        denominator_measure="Antal personer",
        denominator_filters={"Visitationskategori": "Visitationskategori i alt"},
    )
    lines = [
        "Område;Periode;Visitationskategori;Antal personer",
        "Norddjurs;2025M06;Visitationskategori i alt;200",
        "Norddjurs;2025M06;Aktivitetsparat;90",
        "Norddjurs;2025M06;Uddannelsesparat;110",
    ]
    record = run("\n".join(lines).encode(), "y38a02.csv")
    assert record.state == DataImport.State.DONE, record.errors
    assert Observation.objects.get(indicator=indicator, period_code="2025M06").value == Decimal("45.000")


def test_table_from_the_file_name_keeps_mappings_of_other_tables_away(flex_rate):
    content = counts_csv("Antal personer", [("Norddjurs", "2025M06", "Køn i alt", 60)])
    record = run(content, "y01a02_dagpenge.csv")
    assert record.state == DataImport.State.FAILED
    # Y01A02 feeds the budget follow-up, but this file lacks its full-time persons; and no mapping reads it.
    budget, unmapped = record.errors
    assert "kolonnen 'Antal fuldtidspersoner' findes ikke i den" in budget
    assert "Ingen af filens målinger" in unmapped


def test_mapping_editor_refuses_a_national_comparison_for_a_year_on_year_rule(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)  # rule: higher than the same period a year before
    response = client_for(administrator).post(
        reverse("imports:mapping_new"),
        {
            "indicator": indicator.id,
            "table": "OTIJ01",
            "measure": "Andel personer med ordinære timer",
            "comparison_area": "Hele landet",
            "confidence": "administrator",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "sammenligner med samme periode året før" in response.content.decode()
    assert not ExtractMapping.objects.filter(indicator=indicator, comparison_area="Hele landet").exists()


def test_mapping_editor_offers_the_columns_of_an_uploaded_file(client_for, administrator):
    record = run(counts_csv("Antal personer", [("Norddjurs", "2025M06", "Køn i alt", 60)]), "ukendt.csv")
    page = client_for(administrator).get(reverse("imports:mapping_new") + f"?fra={record.pk}").content.decode()
    assert '<datalist id="file-columns">' in page
    assert '<option value="Antal personer">' in page
    assert "Køn i alt" in page


# --- the local template ---------------------------------------------------------------------------------------


def test_local_template_round_trip_feeds_a_local_goal(client_for, administrator):
    response = client_for(administrator).get(reverse("imports:template") + "?maal=6.3")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Tal"]
    header = [c.value for c in sheet[1]]
    assert header == ["Nøgle", "Mål", "Indikator", "Enhed", "Område", "Periode", "Værdi", "Sammenligning"]
    rows = list(sheet.iter_rows(min_row=2))
    assert {r[0].value for r in rows} == {"6.3-1"}
    guide = {row[0]: row for row in workbook["Vejledning"].iter_rows(values_only=True)}
    assert guide["6.3-1"][4] == "0 til 100 (procent)"
    assert guide["Sådan udfyldes skabelonen"]
    for row, value in zip(rows, [31, 33.5, 36]):
        row[6].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = run(buffer.getvalue(), "lokale-tal.xlsx")
    assert record.state == DataImport.State.DONE, record.errors
    indicator = Indicator.objects.get(goal__major=6, goal__minor=3)
    assert Observation.objects.filter(indicator=indicator, data_import=record).count() == 3


def test_local_template_refuses_a_share_over_100_and_an_unknown_key():
    lines = ["Nøgle;Område;Periode;Værdi;Sammenligning", "6.3-1;Norddjurs;2025H1;130;", "9.9-1;Norddjurs;2025H1;5;"]
    record = run("\n".join(lines).encode(), "lokale.csv")
    assert record.state == DataImport.State.FAILED
    assert (
        "Række 2, kolonne 'Værdi': 130 ligger uden for 0-100 %, men indikatoren er en andel i procent." in record.errors
    )
    assert "Række 3, kolonne 'Nøgle': '9.9-1' er ikke en indikator i planen (fx 6.10-1)." in record.errors


# --- every goal has a data route ----------------------------------------------------------------------------

ROUTE_SAMPLES = sorted((DATA / "routes").glob("*_synthetic.*"))


def test_shipped_samples_and_one_local_template_leave_no_goal_without_figures(client_for, administrator):
    routed = [s for s in ROUTE_SAMPLES if columns.table_in_name(s.name, service.known_tables())]
    assert len(routed) == len(ROUTE_SAMPLES) - 1  # all but Y14D03, a part of 1.3 that no mapping uses alone
    for sample in routed:
        record = run(sample.read_bytes(), sample.name)
        assert record.state == DataImport.State.DONE, (sample.name, record.errors)
    fed = set(
        Observation.objects.filter(area="Norddjurs", data_import__isnull=False).values_list("indicator_id", flat=True)
    )
    response = client_for(administrator).get(reverse("imports:template"))
    workbook = load_workbook(io.BytesIO(response.content))
    units = dict(Indicator.objects.values_list("id", "unit"))
    keys = {f"{i.goal.code}-{i.position}": i.id for i in Indicator.objects.select_related("goal")}
    for number, row in enumerate(workbook["Tal"].iter_rows(min_row=2)):
        indicator_id = keys[row[0].value]
        if indicator_id in fed:
            continue
        row[6].value = 40 + number % 7 if units[indicator_id] == "pct" else 100 + number
        row[7].value = 41 if units[indicator_id] == "pct" else 90 + number
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(buffer.getvalue(), "lokale-tal-alle-maal.xlsx").state == DataImport.State.DONE
    for indicator in Indicator.objects.select_related("goal"):
        assert indicator.observations.filter(area="Norddjurs").exists(), indicator
        assert indicator.status_reason != "Der er ingen tal endnu.", indicator
        assert not indicator.status_reason.startswith("Nyeste tal er for"), (indicator, indicator.status_reason)


def test_local_template_for_an_unknown_goal_is_not_found(client_for, administrator):
    client = client_for(administrator)
    assert client.get(reverse("imports:template") + "?maal=9.9").status_code == 404
    assert client.get(reverse("imports:template") + '?maal=x"y').status_code == 404


def test_mapping_editor_ignores_a_source_that_is_not_a_number(client_for, administrator):
    assert client_for(administrator).get(reverse("imports:mapping_new") + "?fra=abc").status_code == 200


def test_file_with_a_mapped_tables_columns_but_no_table_says_to_name_the_table(flex_rate):
    record = run(counts_csv("Antal personer", [("Norddjurs", "2025M06", "Køn i alt", 60)]), "data.csv")
    assert record.state == DataImport.State.FAILED
    assert "skriv den i feltet Jobindsats-tabel" in record.errors[0]


def test_file_without_the_portals_area_says_so():
    rows = national_rows(["Syddjurs"])
    record = run(api_v2(Y30R21_LABELS, rows))
    assert record.state == DataImport.State.DONE
    assert "Filen har ingen rækker for Norddjurs, så målenes egne tal er ikke ændret." in record.notes


def test_mapping_editor_refuses_a_count_column_for_a_share_without_denominator(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=1, goal__minor=3)
    response = client_for(administrator).post(
        reverse("imports:mapping_new"),
        {
            "indicator": indicator.id,
            "table": "Y14D03",
            "measure": "Antal afsluttede forløb",
            "confidence": "administrator",
            "active": "on",
        },
    )
    assert "ligner et antal, men indikatoren er en andel i procent" in response.content.decode()
    assert not ExtractMapping.objects.filter(indicator=indicator).exists()
