"""The minister's benchmark: the whole ranking, the area's rank over time, comparison groups."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from plans.core import areas
from plans.imports import service
from plans.models import BenchmarkRank, BenchmarkResult, ComparisonGroup
from plans.services import benchmark
from portal import audit
from tests.paths import DATA
from tests.support.plan_data import import_national

pytestmark = pytest.mark.django_db
LATEST = "2026QMAT02"


@pytest.fixture
def national():
    return import_national()


def page(client, **params) -> str:
    response = client.get(reverse("plans:benchmark"), params)
    assert response.status_code == 200
    return response.content.decode()


def ranking_rows(text: str) -> list[str]:
    table = text.split('id="rangliste-titel"')[1].split("</table>")[0]
    return [row for row in table.split("<tr")[2:]]


def test_import_stores_every_municipalitys_rank_and_again_changes_nothing(national):
    assert BenchmarkRank.objects.count() == 98 * 4 * 6
    assert set(BenchmarkRank.objects.values_list("area", flat=True)) == areas.MUNICIPALITIES
    mine = BenchmarkRank.objects.get(period__code=LATEST, benefit_group="Ydelsesgrupper i alt", area="Norddjurs")
    assert (mine.rank, mine.expected, mine.actual) == (29, 2070, 2040)
    assert BenchmarkResult.objects.get(period__code=LATEST, benefit_group="Ydelsesgrupper i alt").rank == 29
    import_national()
    assert BenchmarkRank.objects.count() == 98 * 4 * 6


def test_benchmark_shows_the_whole_ranking_with_norddjurs_marked_29_of_98(client_for, member, national):
    text = page(client_for(member), periode=LATEST)
    assert "Norddjurs: nr. 29 af 98" in text
    rows = ranking_rows(text)
    assert len(rows) == 98
    marked = [row for row in rows if "ranking-mine" in row]
    assert len(marked) == 1 and "<strong>Norddjurs</strong>" in marked[0] and 'aria-current="true"' in marked[0]
    ranks = [int(row.split('<td class="num" data-label="Placering">')[1].split("<")[0]) for row in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1 and ranks[28] == 29


def test_benchmark_shows_norddjurs_rank_over_the_periods(client_for, member, national):
    text = page(client_for(member), periode=LATEST)
    history = text.split('id="historik-titel"')[1].split("</table>")[0]
    # The committee introduction's period (seed, no full list) and the six imported ones, oldest first.
    assert [cell.split("<")[0] for cell in history.split('<td class="num" data-label="Placering">')[1:]] == [
        "23 af 98",
        "64 af 98",
        "24 af 98",
        "53 af 98",
        "89 af 98",
        "52 af 98",
        "29 af 98",
    ]


def test_benchmark_ranking_per_benefit_group(client_for, member, national):
    text = page(client_for(member), periode=LATEST, ydelse="Sygedagpenge mv.")
    assert "Norddjurs: nr. 18 af 98" in text
    assert "på benchmarkranglisten for sygedagpenge mv." in text


def test_period_without_a_full_list_says_so_and_still_gives_the_rank(client_for, member):
    text = page(client_for(member))
    assert "Norddjurs: nr. 23 af 98" in text  # the seed: the committee introduction's table
    assert "Den fulde rangliste er ikke indlæst for denne periode" in text


def test_comparison_group_narrows_the_ranking_and_ranks_within_the_group(client_for, member, national, east_jutland):
    ranks = dict(
        BenchmarkRank.objects.filter(period__code=LATEST, benefit_group="Ydelsesgrupper i alt").values_list(
            "area", "rank"
        )
    )
    members = [*east_jutland.areas, "Norddjurs"]
    within = 1 + sum(1 for name in east_jutland.areas if ranks[name] < ranks["Norddjurs"])
    text = page(client_for(member), periode=LATEST, gruppe=east_jutland.pk)
    rows = ranking_rows(text)
    assert len(rows) == 5 and all(any(f">{name}<" in row for name in members) for row in rows)
    assert f"Nr. {within} af 5 i sammenligningsgruppen Østjylland." in text
    assert "Placering i gruppen" in text and "Gruppens midterste placering" in text


def test_ranking_exports_to_xlsx_and_csv(client_for, member, national, east_jutland):
    client = client_for(member)
    response = client.get(reverse("plans:benchmark"), {"periode": LATEST, "tabel": "rangliste", "eksport": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == ("Placering", "Kommune", "Forventet antal", "Faktisk antal", "Forskel")
    assert len(rows) == 99 and ("Norddjurs" in rows[29])
    body = client.get(
        reverse("plans:benchmark"),
        {"periode": LATEST, "tabel": "rangliste", "eksport": "csv", "gruppe": east_jutland.pk},
    )
    lines = body.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith("Placering i gruppen") and len(lines) == 6


def test_administrator_creates_edits_and_deletes_a_comparison_group(client_for, administrator):
    client = client_for(administrator)
    response = client.post(
        reverse("plans:comparison_group_new"), {"name": " Østjylland ", "areas": ["Syddjurs", "Favrskov"]}
    )
    assert response.status_code == 302
    group = ComparisonGroup.objects.get()
    assert (group.name, group.areas) == ("Østjylland", ["Syddjurs", "Favrskov"])
    client.post(
        reverse("plans:comparison_group_edit", args=[group.pk]),
        {"name": "Østjylland", "areas": ["Randers"], "description": "Ens"},
    )
    group.refresh_from_db()
    assert group.areas == ["Randers"]
    assert "Østjylland" in client.get(reverse("plans:comparison_groups")).content.decode()
    confirm = client.post(reverse("plans:comparison_group_delete", args=[group.pk]))
    assert "Slet sammenligningsgruppen Østjylland?" in confirm.content.decode() and ComparisonGroup.objects.exists()
    client.post(reverse("plans:comparison_group_delete", args=[group.pk]), {"bekraeft": "ja"})
    assert not ComparisonGroup.objects.exists()
    kinds = [e.kind for e in audit.recent() if e.model == "plans.ComparisonGroup"]
    assert kinds == ["Slettet", "Ændret", "Oprettet"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Tom", "areas": []}, "Dette felt er påkrævet."),
        ({"name": "Ukendt", "areas": ["Atlantis"]}, "Atlantis er ikke en af de tilgængelige valgmuligheder."),
        ({"name": "", "areas": ["Syddjurs"]}, "Dette felt er påkrævet."),
    ],
    ids=["no municipality", "unknown municipality", "no name"],
)
def test_comparison_group_form_refuses_bad_input(client_for, administrator, data, message):
    response = client_for(administrator).post(reverse("plans:comparison_group_new"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ComparisonGroup.objects.exists()


def test_comparison_group_model_refuses_an_unknown_municipality():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ComparisonGroup(name="X", areas=["Atlantis"]).full_clean()


def test_municipalities_sort_the_danish_way():
    names = [name for name, _ in benchmark.municipality_choices()]
    assert "Norddjurs" not in names and len(names) == 97
    assert names[0] == "Albertslund" and names[-3:] == ["Aabenraa", "Aalborg", "Aarhus"]
    assert names.index("Ærø") < names.index("Aabenraa")


def test_members_see_the_groups_but_cannot_edit_them(client_for, member, east_jutland):
    text = page(client_for(member))
    assert "Østjylland" in text  # a choice on the page
    assert reverse("plans:comparison_groups") not in text
    assert client_for(member).get(reverse("plans:comparison_groups")).status_code == 403


def test_benchmark_page_json_chart_still_matches_the_table(client_for, member, national):
    text = page(client_for(member), periode=LATEST)
    figure = json.loads(text.split('id="benchmark-figur" type="application/json">')[1].split("</script>")[0])
    # The minister's order (A-dagpenge, sygedagpenge, kontanthjælp, i alt), not the file's (i alt first).
    assert figure["data"][1]["y"] == [370, 860, 810, 2040]


def test_an_extract_with_a_few_municipalities_still_ranks_out_of_98(client_for, member):
    """The sample extracts hold Norddjurs and Syddjurs only: the list is partial, the place is still of 98."""
    sample = DATA / "sample_y30r21_api_v2.json"
    record = service.create(ContentFile(sample.read_bytes(), name=sample.name), None)
    service.process(record.pk)
    text = page(client_for(member), periode="2024QMAT04")
    assert "Norddjurs: nr. 28 af 98" in text
    assert "Kun 2 kommuner er indlæst for perioden" in text and len(ranking_rows(text)) == 2
    history = text.split('id="historik-titel"')[1].split("</table>")[0]
    assert "af 2<" not in history and "28 af 98" in history
