"""The data catalogue (issue 25): every Jobindsats table the portal reads, the goals and pages that read it,
its last import and Jobindsats' dates; members read it from the cache, administrators also read how sure
each route is."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.catalogue import services
from plans.core.benefits import FULL_TIME_TABLES
from plans.models import BenefitFigure, DataImport, ExtractMapping, Indicator, TableMetadata
from portal.periods import parse_period
from tests.support.plan_data import add, data_import

pytestmark = pytest.mark.django_db
URL = "/datakatalog/"
TODAY = date(2026, 12, 7)
FULL_TIME_NOTE = "dokumentation af de jobindsats.dk-tabeller"


def catalogue(is_admin=False, today=TODAY) -> dict[str, services.CatalogueTable]:
    return {row.table: row for row in services.build(today, is_admin).tables}


def finished(name, administrator, table, at, state=DataImport.State.DONE, source=DataImport.Source.UPLOAD):
    record = data_import(name, administrator)
    DataImport.objects.filter(pk=record.pk).update(table=table, finished_at=at, state=state, source=source)
    record.refresh_from_db()
    return record


def figure(table, code, record=None):
    period = parse_period(code)
    return BenefitFigure.objects.create(
        table=table,
        area="Norddjurs",
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        full_time_persons=100,
        data_import=record,
    )


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- the service -----------------------------------------------------------------------------------------------


def test_catalogue_url_is_datakatalog():
    assert reverse("catalogue:list") == URL


def test_mapped_table_lists_the_goals_that_read_it_linked_to_their_pages():
    rows = catalogue()
    # 5.1 reads Y09A02 over Y08A02 (a denominator from another table); 6.11 reads Y38A02.
    assert [g.code for g in rows["Y08A02"].goals] == ["5.1"]
    assert [g.code for g in rows["Y09A02"].goals] == ["5.1"]
    goal = rows["Y38A02"].goals[0]
    assert (goal.code, goal.url, goal.in_force) == ("6.11", reverse("plans:goal_detail", args=[2024, 6, 11]), True)
    assert goal.title and rows["JO01"].goals[0].code == "6.1"  # two mappings of one goal: listed once
    assert len(rows["JO01"].goals) == 1


def test_inactive_mapping_leaves_its_table_out():
    ExtractMapping.objects.filter(table="OTIJ01").update(active=False)
    assert "OTIJ01" not in catalogue()


def test_full_time_tables_list_the_budget_and_key_figure_pages():
    rows = catalogue()
    assert set(FULL_TIME_TABLES) <= set(rows)
    assert [p.label for p in rows["Y07A02"].pages] == ["Budgetopfølgning"]
    assert [p.label for p in rows["Y01A02"].pages] == ["Budgetopfølgning", "Nøgletal"]
    assert [p.label for p in rows["PTVA02"].pages] == ["Nøgletal"]
    assert [p.url for p in rows["PTVA02"].pages] == [reverse("keyfigures:overview")]
    assert rows["Y07A02"].title == "Sygedagpenge"  # jobindsats.dk's subject while the API has given no title
    assert rows["Y38A02"].pages and rows["Y38A02"].goals  # a budget table that a goal reads too


def test_benchmark_table_lists_the_benchmark_page():
    row = catalogue()["Y30R21"]
    assert [p.url for p in row.pages] == [reverse("plans:benchmark")]
    assert [g.code for g in row.goals] == ["1.1"]


def test_title_comes_from_the_apis_metadata_first():
    TableMetadata.objects.create(table="Y07A02", title="Sygedagpenge: antal personer og fuldtidspersoner")
    assert catalogue()["Y07A02"].title == "Sygedagpenge: antal personer og fuldtidspersoner"
    assert catalogue()["Y21MM13"].title == "Y21MM13"  # neither the API nor the subjects know it


def test_last_import_is_the_newest_done_one(administrator):
    now = timezone.now()
    finished("gammel.csv", administrator, "Y07A02", now - timedelta(days=30))
    newest = finished("ny.csv", administrator, "Y07A02", now - timedelta(days=2), source=DataImport.Source.API)
    finished("fejlet.csv", administrator, "Y07A02", now, state=DataImport.State.FAILED)
    finished("anden.csv", administrator, "Y08A02", now)
    found = catalogue()["Y07A02"].last_import
    assert (found.id, found.at, found.by_api) == (newest.pk, newest.finished_at, True)
    assert catalogue()["Y10A02"].last_import is None


def test_latest_period_is_the_newest_the_portal_holds(administrator):
    record = finished("y07.csv", administrator, "Y07A02", timezone.now())
    for code in ("2026M03", "2026M10", "2025M12"):
        figure("Y07A02", code, record)
    TableMetadata.objects.create(table="Y07A02", latest_period="2026M11")  # Jobindsats has one more
    TableMetadata.objects.create(table="Y10A02", latest_period="2026M09")
    indicator = Indicator.objects.get(goal__plan__year=2024, goal__major=6, goal__minor=11)
    add(indicator, "2026Q2", 12, data_import=finished("y38.csv", administrator, "Y38A02", timezone.now()))
    rows = catalogue()
    assert rows["Y07A02"].latest_period == "oktober 2026"
    assert rows["Y10A02"].latest_period == "september 2026"  # nothing held: what the API said
    assert rows["Y38A02"].latest_period == "2. kvt. 2026"


def test_unknown_dates_say_ikke_oplyst(client_for, member):
    TableMetadata.objects.create(table="Y07A02", published_on=date(2026, 11, 20), next_update=date(2026, 12, 18))
    rows = catalogue()
    assert (rows["Y07A02"].published_on, rows["Y07A02"].next_update) == (date(2026, 11, 20), date(2026, 12, 18))
    assert rows["Y08A02"].published_on is None and rows["Y08A02"].latest_period == ""
    text = page(client_for(member))
    y07 = text.split('id="tabel-y07a02"')[1].split("</tr>")[0]
    assert "20. november 2026" in y07 and "18. december 2026" in y07
    y08 = text.split('id="tabel-y08a02"')[1].split("</tr>")[0]
    assert y08.count("ikke oplyst") == 4  # last import, period, published, next update


def test_draft_plans_goals_are_for_administrators_only(plan_2024):
    from plans.services import plan_copy

    draft = plan_copy.copy_plan(plan_2024, 2027)
    assert not draft.is_adopted
    member_goals = [g.year for g in catalogue()["Y38A02"].goals]
    admin_goals = [(g.year, g.in_force) for g in catalogue(is_admin=True)["Y38A02"].goals]
    assert member_goals == [2024]
    assert admin_goals == [(2024, True), (2027, False)]


def test_certainty_is_for_administrators_only():
    assert catalogue()["Y38A02"].certainty == []
    certainty = catalogue(is_admin=True)["Y38A02"].certainty
    labels = [(c.label, c.subject) for c in certainty]
    assert labels[0][0] == "Udledt" and labels[0][1].startswith("Mål 6.11")
    assert certainty[0].text == ExtractMapping.objects.get(table="Y38A02", active=True).note
    assert ("Bekræftet", "Tabellen") in labels and ("Udledt", "Totalrækken") in labels
    assert FULL_TIME_NOTE in certainty[-2].text and "i alt" in certainty[-1].text


def test_new_kontanthjaelp_table_is_read_by_the_budget_and_only_inferred():
    rows = catalogue(is_admin=True)
    assert [p.label for p in rows["Y60A02"].pages] == ["Budgetopfølgning"]
    assert ("Udledt", "Tabellen") in [(c.label, c.subject) for c in rows["Y60A02"].certainty]
    assert ("Bekræftet", "Tabellen") not in [(c.label, c.subject) for c in rows["Y60A02"].certainty]


# --- the page --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "caseworker", "administrator"])
def test_catalogue_page_opens_for_every_role(request, client_for, persona):
    text = page(client_for(request.getfixturevalue(persona)))
    assert "<h1>Datakatalog</h1>" in text and 'id="tabel-y30r21"' in text


def test_catalogue_page_sends_anonymous_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_catalogue_page_refuses_a_user_without_role(client_for, outsider):
    assert client_for(outsider).get(URL).status_code == 403


def test_members_see_no_confidence_notes_or_import_links(client_for, member, administrator):
    record = finished("y07.csv", administrator, "Y07A02", timezone.now())
    text = page(client_for(member))
    notes = [m.note for m in ExtractMapping.objects.filter(active=True) if m.note]
    assert notes and not any(note in text for note in notes)
    assert "Sikkerhed" not in text and "Bekræftet" not in text and "Udledt" not in text
    assert FULL_TIME_NOTE not in text and "gætte" not in text.lower()
    assert reverse("imports:detail", args=[record.pk]) not in text and "Randers" not in text
    y07 = text.split('id="tabel-y07a02"')[1].split("</tr>")[0]
    assert "uploadet" in y07


def test_administrators_see_confidence_notes_and_the_tables_import(client_for, administrator):
    record = finished("y07.csv", administrator, "Y07A02", timezone.now(), source=DataImport.Source.API)
    text = page(client_for(administrator))
    assert ExtractMapping.objects.get(table="Y38A02", active=True).note in text
    assert "Bekræftet" in text and "Udledt" in text and FULL_TIME_NOTE in text
    y07 = text.split('id="tabel-y07a02"')[1].split("</tr>")[0]
    assert f'href="{reverse("imports:detail", args=[record.pk])}"' in y07 and "hentet fra Jobindsats' API" in y07


def test_goal_links_lead_to_the_goal_pages(client_for, member):
    text = page(client_for(member))
    assert f'href="{reverse("plans:goal_detail", args=[2024, 6, 11])}"' in text
    assert f'href="{reverse("plans:benchmark")}"' in text


def test_members_page_is_served_from_the_cache_until_the_data_changes(client_for, member):
    client = client_for(member)
    assert client.get(URL)["X-Page-Cache"] == "miss"
    assert client.get(URL)["X-Page-Cache"] == "hit"
    TableMetadata.objects.create(table="Y07A02", next_update=date(2026, 12, 18))
    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss" and "18. december 2026" in response.content.decode()


def test_administrators_page_is_never_cached(client_for, administrator):
    client = client_for(administrator)
    client.get(URL)
    assert "X-Page-Cache" not in client.get(URL)


def test_english_page_has_english_labels(client_for, member):
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en"})
    TableMetadata.objects.create(table="Y07A02", published_on=date(2026, 11, 20))
    text = page(client)
    for english in ("Data catalogue", "Used by", "Latest import", "Published by Jobindsats", "not stated"):
        assert english in text, english
    for danish in ("Datakatalog", "Bruges af", "Seneste import", "ikke oplyst", "20. november 2026"):
        assert danish not in text, danish


# --- queries ---------------------------------------------------------------------------------------------------


def grow(administrator, n, start):
    """n more tables read by a mapping, each with a finished import, API metadata and figures; n more
    full-time figures and imports of the tables already there."""
    indicators = list(Indicator.objects.filter(goal__plan__year=2024).order_by("pk"))
    for i in range(start, start + n):
        table = f"T{i:03d}"
        indicator = indicators[i % len(indicators)]
        ExtractMapping.objects.create(indicator=indicator, table=table, measure=f"Måling {i}", note=f"Note {i}")
        record = finished(f"{table}.csv", administrator, table, timezone.now() - timedelta(days=i))
        TableMetadata.objects.create(table=table, title=f"Tabel {i}", published_on=TODAY, next_update=TODAY)
        add(indicator, f"{2000 + i}M01", i, data_import=record)
        full_time = FULL_TIME_TABLES[i % len(FULL_TIME_TABLES)]
        figure(full_time, f"{2000 + i}M02", finished(f"{full_time}-{i}.csv", administrator, full_time, timezone.now()))


@pytest.mark.parametrize("persona", ["member", "administrator"])
def test_catalogue_query_count_does_not_grow_with_tables_and_imports(request, client_for, administrator, persona):
    from tests.test_query_counts import count_queries

    client = client_for(request.getfixturevalue(persona))
    grow(administrator, 2, 0)
    few = count_queries(client, URL)
    grow(administrator, 20, 2)
    assert len(catalogue()) >= 20
    # plans, mappings (with indicator, goal, plan), the tables' metadata, the newest finished import of each
    # table, the periods held: from imports' figures, full-time persons, the benchmark
    assert count_queries(client, URL) == few == 7
    assert "T021" in client.get(URL).content.decode()
