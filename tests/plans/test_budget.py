"""The budget follow-up (issue 25): the arithmetic, the page for each role, the budget form, the exports."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from plans.budget import services
from plans.budget.calendar import follow_up_entries
from plans.models import BenefitBudget
from portal.registry import calendar
from tests.support.budget_data import add_budgets, add_figure, fill_figures

pytestmark = pytest.mark.django_db
D = Decimal
URL = reverse("budget:overview")
THIS = [D(v) for v in (100, 110, 120, 130, 140)] + [None] * 7
LAST = [D(100)] * 6 + [D(120)] * 6


# --- the arithmetic, computed by hand ------------------------------------------------------------------------


def test_estimate_follows_last_years_season():
    # Jan-May 600 this year, 500 last year: factor 1,2. June 100 x 1,2 = 120, July-December 120 x 1,2 = 144.
    months, method = services.estimate_year(THIS, LAST, cutoff=5)
    assert method == services.SEASON
    assert months == [D(100), D(110), D(120), D(130), D(140), D(120)] + [D(144)] * 6
    assert services.average(months) == D(132)  # (600 + 120 + 6 x 144) / 12 = 1584 / 12


def test_estimate_uses_this_years_average_when_last_year_lacks_a_month():
    last = list(LAST)
    last[6] = None  # July
    months, method = services.estimate_year(THIS, last, cutoff=5)
    assert method == services.AVERAGE
    assert months[5:] == [D(120)] * 7 and services.average(months) == D(120)  # (600 + 7 x 120) / 12


def test_estimate_reads_only_the_months_before_the_follow_up():
    this = [D(100)] * 12
    months, method = services.estimate_year(this, [D(50)] * 12, cutoff=3)  # april: January to March
    assert method == services.SEASON and months[3:] == [D(100)] * 9


def test_estimate_without_known_months_is_none():
    assert services.estimate_year([None] * 12, LAST, cutoff=5) == ([None] * 12, None)


def test_monthly_totals_add_the_tables_and_miss_a_month_one_table_lacks():
    figures = {("Y36A02", 1): D(300), ("Y38A02", 1): D(45), ("Y36A02", 2): D(310)}
    totals = services.monthly_totals(figures, [("Y36A02", "Y38A02")] * 12)
    assert totals[0] == D(345) and totals[1] is None and totals[2] is None


def test_kontanthjaelp_reads_its_two_tables_before_the_reform_and_y60a02_after():
    for month in range(1, 7):  # January to June: kontanthjælp + uddannelseshjælp
        add_figure("Y36A02", 2025, month, 300)
        add_figure("Y38A02", 2025, month, 40)
    for month in range(7, 13):  # from 1 July 2025 one benefit, one table
        add_figure("Y60A02", 2025, month, 350)
    item = next(g for g in services.build(2025, None).groups if g.group.key == "kontanthjaelp")
    assert item.years[2025] == [D(340)] * 6 + [D(350)] * 6
    rows = services.build(2025, None).export_rows()
    tables = {(r[2], r[3]): r[1] for r in rows if r[0] == "Kontanthjælp og uddannelseshjælp"}
    assert tables[(2025, 6)] == "Y36A02 + Y38A02" and tables[(2025, 7)] == "Y60A02"


def test_spend_is_the_difference_times_the_cost_per_person():
    # 132 estimated against 125 budgeted, 37,5 mio. kr. / 125 = 300.000 kr. a person: 7 x 300.000.
    assert services.spend(D(132), D(125), D(37_500_000)) == D(2_100_000)
    assert services.spend_text(D(2_100_000)) == "forventet merforbrug ca. 2,1 mio. kr."
    assert services.spend_text(D(-700_000)) == "forventet mindreforbrug ca. 700.000 kr."
    assert services.spend(D(132), D(125), None) is None
    assert services.difference_percent(D(120), D(125)) == D(-4)


def test_default_follow_up_is_the_newest_at_or_before_today():
    assert services.default_follow_up(date(2026, 7, 2)).key == "juni"
    assert services.default_follow_up(date(2026, 11, 1)).key == "november"
    assert services.default_follow_up(date(2026, 3, 31)) is None


def _season_example(year=2026):
    for month, value in enumerate(THIS[:5], start=1):
        add_figure("Y01A02", year, month, value)
    for month, value in enumerate(LAST, start=1):
        add_figure("Y01A02", year - 1, month, value)
    add_figure("Y01A02", year, 5, 999, area="Syddjurs")  # another area: not read
    BenefitBudget.objects.create(group="a_dagpenge", year=year, full_time_persons=D(125), amount=D(37_500_000))


def test_build_computes_a_group_from_the_database():
    _season_example()
    data = services.build(2026, services.follow_up("juni"))
    item = data.groups[0]
    assert item.group.key == "a_dagpenge"
    assert item.known == [1, 2, 3, 4, 5] and item.year_to_date == D(120)
    assert item.difference == D(-5) and item.difference_percent == D(-4)
    assert item.year_end == D(132) and item.expected_spend == D(2_100_000)
    assert 2026 in data.years and 2025 in data.years
    # april reads January to March only: (100 + 110 + 120) / 3
    assert services.build(2026, services.follow_up("april")).groups[0].year_to_date == D(110)


def test_a_follow_up_reads_the_same_after_more_months_are_imported():
    _season_example()
    before = services.build(2026, services.follow_up("juni")).groups[0]
    add_figure("Y01A02", 2026, 6, 500)
    after = services.build(2026, services.follow_up("juni")).groups[0]
    assert (after.year_to_date, after.year_end, after.expected_spend) == (
        before.year_to_date,
        before.year_end,
        before.expected_spend,
    )
    assert services.build(2026, services.follow_up("september")).groups[0].known == [1, 2, 3, 4, 5, 6]


# --- the page ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "caseworker", "administrator"])
def test_budget_page_opens_for_every_role(request, client_for, persona):
    _season_example()
    page = client_for(request.getfixturevalue(persona)).get(URL, {"aar": 2026, "opfoelgning": "juni"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Budgetopfølgning juni 2026" in text
    assert "forventet merforbrug ca. 2,1 mio. kr." in text
    assert "Intet budget indtastet for 2026." in text  # the other groups
    assert "Ingen tal importeret endnu." in text and "Y36A02 + Y38A02; fra 1. juli 2025: Y60A02" in text
    assert 'data-plotly-figure="budget-figur-a_dagpenge"' in text
    assert "januar til og med maj 2026." in text
    assert ("Indtast budget for 2026" in text) == (persona == "administrator")


def test_budget_page_sends_anonymous_to_login_and_refuses_a_user_without_role(client, client_for, outsider):
    response = client.get(URL)
    assert response.status_code == 302 and "log-ind" in response["Location"]
    assert client_for(outsider).get(URL).status_code == 403


def test_budget_page_defaults_to_the_newest_follow_up_this_year(client_for, member, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 7, 1))
    text = client_for(member).get(URL).content.decode()
    assert "Budgetopfølgning juni 2026" in text


def test_budget_page_is_served_from_the_cache(client_for, member, django_assert_num_queries):
    _season_example()
    client = client_for(member)
    params = {"aar": 2026, "opfoelgning": "juni"}
    assert client.get(URL, params)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):  # the session and the user come from the cache: no query at all
        second = client.get(URL, params)
    assert second["X-Page-Cache"] == "hit" and "2,1 mio. kr." in second.content.decode()
    BenefitBudget.objects.filter(group="a_dagpenge").update(amount=D(12_500_000))
    BenefitBudget.objects.get(group="a_dagpenge").save()  # a save through the ORM bumps the cache
    third = client.get(URL, params)
    assert third["X-Page-Cache"] == "miss" and "forventet merforbrug ca. 700.000 kr." in third.content.decode()


def test_english_page_shows_english_labels(client_for, member):
    with translation.override("en"):
        if translation.gettext("Intet budget indtastet for %(year)s.") == "Intet budget indtastet for %(year)s.":
            pytest.skip("/work/notes/po/budget.po is not merged into the English catalogue yet")
    _season_example()
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en"})
    text = client.get(URL, {"aar": 2026, "opfoelgning": "juni"}).content.decode()
    assert "Budget follow-up June 2026" in text
    assert "Budgetopfølgning" not in text and "Intet budget" not in text


# --- exports ----------------------------------------------------------------------------------------------------


def test_csv_export_has_the_monthly_rows(client_for, member):
    _season_example()
    response = client_for(member).get(URL, {"aar": 2026, "opfoelgning": "juni", "eksport": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="budgetopfoelgning-2026-juni.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Ydelsesgruppe;Tabeller;År;Måned;Periode;Fuldtidspersoner")
    rows = {tuple(line.split(";")[:5]): line.split(";")[5:] for line in lines[1:]}
    may, july = (
        rows[("A-dagpenge", "Y01A02", "2026", "5", "2026M05")],
        rows[("A-dagpenge", "Y01A02", "2026", "7", "2026M07")],
    )
    assert D(may[0].replace(",", ".")) == 140 and may[1] == "" and D(may[2].replace(",", ".")) == 125
    assert july[0] == "" and july[1] == "144,0"  # estimated
    assert len(lines) == 1 + 8 * 36


def test_xlsx_export_keeps_numbers_and_neutralises_formulas(client_for, member):
    _season_example()
    BenefitBudget.objects.update(note="=HYPERLINK(1)")
    response = client_for(member).get(URL, {"aar": 2026, "opfoelgning": "juni", "eksport": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Ydelsesgruppe"
    may = next(r for r in rows if r[4] == "2026M05" and r[0] == "A-dagpenge")
    assert may[5] == 140 and may[7] == 125
    assert all(not (isinstance(c, str) and c.startswith("=")) for r in rows for c in r)


# --- the budget form --------------------------------------------------------------------------------------------


def test_members_may_not_edit_budgets(client_for, member, caseworker):
    url = reverse("budget:edit", args=[2026])
    assert client_for(member).get(url).status_code == 403
    assert client_for(caseworker).post(url, {}).status_code == 403


def _row(key, persons="", amount="", note=""):
    return {f"{key}-full_time_persons": persons, f"{key}-amount": amount, f"{key}-note": note}


def test_administrator_saves_budgets_and_an_empty_row_removes_one(client_for, administrator):
    BenefitBudget.objects.create(group="fleksjob", year=2026, full_time_persons=D(500))
    client = client_for(administrator)
    url = reverse("budget:edit", args=[2026])
    assert "Budget for 2026" in client.get(url).content.decode()
    data = {**_row("a_dagpenge", "1.234,5", "37.500.000", "Vedtaget budget"), **_row("fleksjob")}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"{URL}?aar=2026"
    budget = BenefitBudget.objects.get(year=2026)
    assert budget.group == "a_dagpenge" and budget.full_time_persons == D("1234.5")
    assert budget.amount == D(37_500_000) and budget.note == "Vedtaget budget" and budget.updated_by == administrator
    assert budget.history.count() == 1


def test_budget_form_refuses_bad_rows_in_danish_and_saves_nothing(client_for, administrator):
    client = client_for(administrator)
    url = reverse("budget:edit", args=[2026])
    data = {**_row("a_dagpenge", "1.234,5"), **_row("sygedagpenge", "", "1.000"), **_row("fleksjob", "-3")}
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200 and BenefitBudget.objects.count() == 0
    assert "Budgettet er ikke gemt." in text
    assert "Skriv de budgetterede fuldtidspersoner, eller tøm hele rækken" in text
    assert "Antallet af fuldtidspersoner skal være mindst 0,1." in text
    assert "er ikke et tal" in client.post(url, _row("a_dagpenge", "mange")).content.decode()


# --- the årshjul ------------------------------------------------------------------------------------------------


def test_the_wheel_shows_the_four_follow_ups_with_links(client_for, member):
    entries = follow_up_entries(2026)
    assert [(e.title, e.month) for e in entries] == [
        ("Budgetopfølgning april", 4),
        ("Budgetopfølgning juni", 6),
        ("Budgetopfølgning september", 9),
        ("Budgetopfølgning november", 11),
    ]
    assert {e.uid for e in entries} <= {e.uid for e in calendar(2026)}
    text = client_for(member).get(reverse("plans:wheel"), {"aar": 2026}).content.decode()
    assert f'href="{URL}?aar=2026&amp;opfoelgning=juni"' in text and "Budgetopfølgning juni" in text


def test_many_areas_and_groups_are_read(client_for, member):
    fill_figures(2026, 5, areas=2)
    add_budgets(2026)
    text = client_for(member).get(URL, {"aar": 2026, "opfoelgning": "juni"}).content.decode()
    assert "Ingen tal importeret endnu." not in text and "Intet budget indtastet" not in text
