"""Imports that never fail silently: every mapping of the file's table gets rows, or the administrator is told.

The files are the real-layout samples of tests/data, changed here the way jobindsats.dk or a hand can change
them: a renamed column, a dimension value left out, rows in another order. See docs/imports.md.
"""

import json
import random
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from plans.core import areas
from plans.core.models import BENEFIT_GROUPS
from plans.imports import service
from plans.imports.models import DataImport, ExtractMapping, RatioPart
from plans.imports.reading import read_extract
from plans.imports.validation import WARNING, ImportErrors, Route, prepare
from plans.models import BenchmarkRank, BenchmarkResult, Indicator, Observation
from plans.services import benchmark
from tests.paths import DATA
from tests.support.plan_data import NATIONAL

pytestmark = pytest.mark.django_db

Y38A02 = DATA / "routes" / "y38a02_api_v3_synthetic.json"
RANK = "Placering på benchmarkranglisten"
AKTIVITETSPARAT = {"Visitationskategori": "Aktivitetsparat", "Køn": "Køn i alt"}
ALL = {"Visitationskategori": "Visitationskategori i alt", "Køn": "Køn i alt"}


def indicator(code: str, position: int = 1) -> Indicator:
    major, minor = code.split(".")
    return Indicator.objects.get(goal__major=major, goal__minor=minor, position=position)


@pytest.fixture
def y38a02_mappings():
    """Only these mappings are active: a share of the table's rows (6.11) and a count from it (5.2, a stand-in)."""
    ExtractMapping.objects.update(active=False)
    share = ExtractMapping.objects.create(
        indicator=indicator("6.11"),
        table="Y38A02",
        measure="Antal personer",
        filters=AKTIVITETSPARAT,
        denominator_measure="Antal personer",
        denominator_filters=ALL,
        comparison_area="Hele landet",
    )
    count = ExtractMapping.objects.create(
        indicator=indicator("5.2"), table="Y38A02", measure="Antal fuldtidspersoner", filters=AKTIVITETSPARAT
    )
    return share, count


def y38a02(drop=None, rename=None) -> bytes:
    """The sample Y38A02 extract, without the rows whose column holds a value, or with a column renamed."""
    data = json.loads(Y38A02.read_text(encoding="utf-8"))
    columns, rows = data["columns"], data["rows"]
    if drop:
        column, value = drop
        rows = [r for r in rows if r[columns.index(column)] != value]
    if rename:
        columns = [rename[1] if c == rename[0] else c for c in columns]
    return json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False).encode()


def run(content: bytes, name: str, table: str = "") -> DataImport:
    record = service.create(ContentFile(content, name=name), None, table=table)
    return service.process(record.pk)[0]


def figures() -> list[tuple]:
    return sorted(Observation.objects.values_list("indicator_id", "area", "period_code", "value", "comparison"))


def test_y38a02_without_its_total_rows_is_refused_naming_the_mapping_and_the_values(y38a02_mappings):
    share, count = y38a02_mappings
    ExtractMapping.objects.filter(pk=count.pk).update(active=False)  # 6.11 alone reads the table, as in the seed
    before = figures()
    record = run(y38a02(drop=("Visitationskategori", "Visitationskategori i alt")), "y38a02_udtraek.json")
    assert record.state == DataImport.State.FAILED
    [message] = [e for e in record.errors if str(share) in e]
    assert "(nævneren) fik ingen rækker fra filen (tabel Y38A02)" in message
    assert "i rækker med Køn = 'Køn i alt' og Visitationskategori = 'Visitationskategori i alt'" in message
    assert (
        "Kolonnen 'Visitationskategori' har ikke værdien 'Visitationskategori i alt' "
        "(blandt rækkerne med Køn = 'Køn i alt')" in message
    )
    assert "'Aktivitetsparat'" in message and "'Uddannelsesparat'" in message  # what the file has instead
    assert figures() == before and not RatioPart.objects.exists()


def test_renamed_measure_column_is_refused_with_the_files_columns(y38a02_mappings):
    before = figures()
    record = run(y38a02(rename=("Antal fuldtidspersoner", "Fuldtidspersoner")), "y38a02.json")
    assert record.state == DataImport.State.FAILED
    # Two readers miss the column: the budget follow-up's full-time persons (plans.imports.benefit_figures) and a mapping.
    budget, message = record.errors
    assert "men kolonnen 'Antal fuldtidspersoner' findes ikke i den, så budgetopfølgningen" in budget
    assert f"Koblingen '{y38a02_mappings[1]}' bruger kolonnen 'Antal fuldtidspersoner', som ikke findes" in message
    assert (
        "Filens kolonner: 'Periode', 'Område', 'Køn', 'Visitationskategori', 'Antal personer', 'Fuldtidspersoner'"
        in (message)
    )
    assert figures() == before


def test_missing_filter_column_is_refused(y38a02_mappings):
    record = run(y38a02(rename=("Køn", "Køn og alder")), "y38a02.json")
    assert record.state == DataImport.State.FAILED
    assert len(record.errors) == 2  # both mappings filter on Køn
    assert all("bruger kolonnen 'Køn', som ikke findes i filen (tabel Y38A02)" in e for e in record.errors)


def test_file_with_rows_for_some_mappings_imports_them_and_warns_about_the_others(
    client_for, administrator, y38a02_mappings
):
    share, count = y38a02_mappings
    count.filters = {"Visitationskategori": "Uddannelsesparat", "Køn": "Kvinder"}  # a row the sample lacks
    count.save()
    record = run(y38a02(), "y38a02.json")
    assert record.state == DataImport.State.DONE
    warnings, notes = service.split_notes(record.notes)
    [warning] = warnings
    assert record.notes[0].startswith(WARNING)  # first, before the other notes
    assert f"Koblingen '{count}' fik ingen rækker" in warning and "Koblingens tal er ikke ændret" in warning
    assert "(blandt rækkerne med Køn = 'Kvinder'); filens værdier: 'Visitationskategori i alt'." in warning
    assert Observation.objects.filter(indicator=share.indicator, area="Norddjurs").count() == 30
    assert not Observation.objects.filter(indicator=count.indicator).exists()

    client = client_for(administrator)
    detail = client.get(reverse("imports:detail", args=[record.pk])).text
    assert "Filen er indlæst med 1 advarsel" in detail
    assert detail.index("Filen er indlæst med 1 advarsel") < detail.index("Filen er indlæst. Rækker brugt")
    assert warning in detail.replace("&#x27;", "'")
    listing = client.get(reverse("imports:list")).text
    assert "Importer med advarsler" in listing and f"#{record.pk} y38a02.json" in listing


def test_ratio_whose_other_part_is_in_another_file_waits_without_a_warning():
    ExtractMapping.objects.update(active=False)
    ExtractMapping.objects.create(
        indicator=indicator("5.1"),
        table="Y09A02",
        measure="Antal personer",
        filters={"Køn": "Køn i alt"},
        denominator_table="Y08A02",
        denominator_measure="Antal personer",
        denominator_filters={"Køn": "Køn i alt"},
        denominator_adds_numerator=True,
        comparison_area="Hele landet",
    )
    sample = DATA / "routes" / "y09a02_api_v2_synthetic.csv"
    record = run(sample.read_bytes(), sample.name)
    assert record.state == DataImport.State.DONE
    assert service.split_notes(record.notes)[0] == []
    assert RatioPart.objects.filter(part="taeller").exists() and not RatioPart.objects.filter(part="naevner").exists()


# --- the benchmark (Y30R21) ----------------------------------------------------------------------------------


def renamed_rank(path, new_name: str = "Placering") -> bytes:
    return path.read_bytes().replace(RANK.encode(), new_name.encode())


@pytest.mark.parametrize("name", ["y30r21_udtraek.csv", "udtraek.csv"])
def test_y30r21_with_its_rank_column_renamed_is_refused_and_the_ranking_kept(name):
    before = (list(BenchmarkRank.objects.values_list()), list(BenchmarkResult.objects.values_list()), figures())
    record = run(renamed_rank(DATA / "sample_y30r21_api.csv"), name)
    assert record.state == DataImport.State.FAILED
    [message] = [e for e in record.errors if "benchmark" in e]
    assert "Y30R21 (ministerens benchmark), men kolonnen 'Placering på benchmarkranglisten' findes ikke" in message
    assert "'Placering'" in message  # the file's columns, among them the renamed one
    assert ("er fra tabel" if name.startswith("y30r21") else "ligner tabel") in message
    assert (list(BenchmarkRank.objects.values_list()), list(BenchmarkResult.objects.values_list()), figures()) == before


def test_national_y30r21_with_its_rank_column_renamed_is_refused():
    record = run(renamed_rank(NATIONAL, "Placering på listen"), NATIONAL.name)
    assert record.state == DataImport.State.FAILED
    assert any("'Placering på benchmarkranglisten' findes ikke" in e for e in record.errors)
    assert not BenchmarkRank.objects.exists()


def benchmark_tables(client) -> list[str]:
    """Every table the benchmark page shows, for every period and benefit group (the page's own HTML)."""
    tables = []
    for period in benchmark.build(None, None, None).periods:
        for group in BENEFIT_GROUPS:
            text = client.get(reverse("plans:benchmark"), {"periode": period.code, "ydelsesgruppe": group}).text
            tables += [re.sub(r"\s+", " ", t.split("</table>")[0]) for t in text.split("<table")[1:]]
            figure = text.split('id="benchmark-figur" type="application/json">')
            tables += [figure[1].split("</script>")[0]] if len(figure) > 1 else []
    return tables


def shuffled(path, seed: int) -> bytes:
    answer = json.loads(path.read_text(encoding="utf-8"))
    random.Random(seed).shuffle(answer[0]["Data"])
    return json.dumps(answer, ensure_ascii=False).encode()


def test_reimport_of_a_shuffled_national_file_changes_nothing_and_the_page_renders_identically(client_for, member):
    first = run(NATIONAL.read_bytes(), NATIONAL.name)
    assert first.state == DataImport.State.DONE
    client = client_for(member)
    before, stored = benchmark_tables(client), sorted(BenchmarkResult.objects.values_list())
    assert len(before) > 24
    again = run(shuffled(NATIONAL, seed=21), NATIONAL.name)
    assert again.state == DataImport.State.DONE and again.observations_changed == 0
    assert sorted(BenchmarkResult.objects.values_list()) == stored
    assert benchmark_tables(client) == before
    groups = list(
        BenchmarkResult.objects.filter(period__code="2026QMAT02").order_by("position").values_list("benefit_group")
    )
    assert [g for (g,) in groups] == list(BENEFIT_GROUPS)  # the minister's order, not the file's


# --- the fetch ---------------------------------------------------------------------------------------------


def test_fetch_mail_names_a_warned_table_and_its_mapping(administrator, mailoutbox):
    from plans.imports import fetching

    administrator.email = "admin@example.org"
    administrator.save()
    result = fetching.TableResult("Y38A02", "imported", "…", 7, warnings=["Koblingen 'x → 6.11' fik ingen rækker."])
    assert fetching.notify_administrators([], [result])
    [message] = mail.outbox
    assert message.subject == "Hentning fra Jobindsats: en kobling fik ingen tal"
    assert "Tabel Y38A02 (import #7): Koblingen 'x → 6.11' fik ingen rækker." in message.body


# --- generated files: applied exactly as the mappings select, or refused naming the mapping -------------


ROUTES = [
    Route(1, 101, False, "A → tæl", "Y38A02", "Antal personer", AKTIVITETSPARAT),
    Route(2, 102, False, "B → fuldtid", "Y38A02", "Antal fuldtidspersoner", {"Køn": "Kvinder"}),
    Route(3, 103, True, "C → andel", "Y38A02", "Antal personer", AKTIVITETSPARAT, "Y38A02", "Antal personer", ALL),
]
BASE = json.loads(Y38A02.read_text(encoding="utf-8"))
BASE_ROWS = [r for r in BASE["rows"] if r[0] in ("2024M01", "2024M02", "2024M03")]
RENAMABLE = BASE["columns"][2:]  # not the period and area: without them the file is not an extract


def selected(columns, rows, measure, filters) -> dict:
    """What a mapping selects, computed here without the import: {(area, period): value}."""
    index = {c: i for i, c in enumerate(columns)}
    if measure not in index or any(c not in index for c in filters):
        return {}
    return {
        (r[index["Område"]], r[index["Periode"]]): float(r[index[measure]])
        for r in rows
        if all(r[index[c]] == v for c, v in filters.items()) and r[index["Område"]] in areas.KNOWN_AREAS
    }


@hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**16),
    drop=st.none()
    | st.sampled_from([(2, "Køn i alt"), (2, "Kvinder"), (3, "Aktivitetsparat"), (3, "Visitationskategori i alt")]),
    rename=st.none() | st.sampled_from(RENAMABLE),
)
def test_generated_file_is_applied_exactly_or_refused_naming_the_mapping(seed, drop, rename):
    rows = [list(r) for r in BASE_ROWS if drop is None or r[drop[0]] != drop[1]]
    random.Random(seed).shuffle(rows)
    columns = [c + " (ny)" if c == rename else c for c in BASE["columns"]]
    extract = read_extract(json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False).encode())

    expected = {
        route.id: [selected(columns, rows, route.measure, route.filters)]
        + ([selected(columns, rows, route.denominator_measure, route.denominator_filters)] if route.is_ratio else [])
        for route in ROUTES
    }
    uses_renamed = [r for r in ROUTES if rename in (r.measure, *r.filters)]
    empty = [r for r in ROUTES if not all(expected[r.id])]
    try:
        prepared = prepare(extract, ROUTES, "Y38A02")
    except ImportErrors as error:
        assert uses_renamed or len(empty) == len(ROUTES), error.messages
        for route in uses_renamed or empty:
            assert any(f"'{route.label}'" in m for m in error.messages), (route.label, error.messages)
        return
    assert not uses_renamed and len(empty) < len(ROUTES)
    for route in ROUTES:
        warned = [w for w in prepared.warnings if f"'{route.label}'" in w]
        if route in empty:
            assert warned, route.label  # never silently empty
            continue
        assert not warned
        if route.is_ratio:
            mine = prepared.parts[prepared.parts["mapping_id"] == route.id]
            for part, wanted in zip(("taeller", "naevner"), expected[route.id]):
                got = mine[mine["part"] == part]
                assert dict(zip(zip(got["area"], got["period_code"]), got["value"])) == wanted
        else:
            got = prepared.rows[prepared.rows["indicator_id"] == route.indicator_id]
            assert dict(zip(zip(got["area"], got["period_code"]), got["value"])) == expected[route.id][0]
    assert prepared.parts[prepared.parts["mapping_id"].isin([r.id for r in empty])].empty


def test_same_file_again_keeps_its_warning(y38a02_mappings):
    _share, count = y38a02_mappings
    count.filters = {"Visitationskategori": "Uddannelsesparat", "Køn": "Kvinder"}
    count.save()
    first = run(y38a02(), "y38a02.json")
    again = run(y38a02(), "y38a02.json")
    assert "ikke læst igen" in " ".join(again.notes)  # the shortcut for an unchanged file and mappings
    assert service.split_notes(again.notes)[0] == service.split_notes(first.notes)[0] != []


# --- the uploader's e-mail -------------------------------------------------------------------------------


def upload(client, content: bytes, name: str, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):  # the task is queued after the upload commits
        response = client.post(reverse("imports:list"), {"files": [SimpleUploadedFile(name, content)]})
    assert response.status_code == 302
    return DataImport.objects.get(original_name=name)


def test_uploader_is_mailed_the_refusal_of_their_file(
    y38a02_mappings, administrator, client_for, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    share, count = y38a02_mappings
    ExtractMapping.objects.filter(pk=count.pk).update(active=False)
    administrator.email = "admin@norddjurs.dk"
    administrator.save()
    content = y38a02(drop=("Visitationskategori", "Visitationskategori i alt"))
    record = upload(client_for(administrator), content, "y38a02_uden_total.json", django_capture_on_commit_callbacks)
    assert record.state == DataImport.State.FAILED
    [message] = mailoutbox
    assert message.to == ["admin@norddjurs.dk"]
    assert message.subject == f"Import #{record.pk} fejlede: y38a02_uden_total.json"
    assert "ingen tal er ændret" in message.body and "Visitationskategori i alt" in message.body


def test_uploader_is_mailed_a_warning_and_nothing_for_a_clean_import(
    y38a02_mappings, administrator, client_for, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    share, count = y38a02_mappings
    administrator.email = "admin@norddjurs.dk"
    administrator.save()
    client = client_for(administrator)
    upload(client, y38a02(), "y38a02_hele.json", django_capture_on_commit_callbacks)
    assert mailoutbox == []  # every mapping got its rows: nothing to tell
    count.filters = {"Visitationskategori": "Uddannelsesparat", "Køn": "Kvinder"}
    count.save()
    record = upload(
        client, y38a02(drop=("Køn", "Kvinder")), "y38a02_uden_kvinder.json", django_capture_on_commit_callbacks
    )
    assert record.state == DataImport.State.DONE
    [message] = mailoutbox
    assert message.subject == f"Import #{record.pk} er indlæst med advarsler: y38a02_uden_kvinder.json"
    assert f"Koblingen '{count}' fik ingen rækker" in message.body
