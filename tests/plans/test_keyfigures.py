"""The key figures page (Nøgletal, issue 25): the shares from Jobindsats, the local figures, the benchmark
place and the framework conditions; the administrators' page for the local figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from plans.core.benefits import ALL_BENEFITS_TABLE, UNEMPLOYMENT_TABLE
from plans.keyfigures import seed, services
from plans.keyfigures.models import LocalKeyFigure
from plans.models import BenefitFigure, ComparisonGroup, TableMetadata
from portal.periods import parse_period
from portal.seeding import Seeder

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("keyfigures:overview")
LOCAL_EDIT = reverse("keyfigures:local_edit")
Kind = LocalKeyFigure.Kind


def figure(table, area, code, persons, labour=None, population=None) -> BenefitFigure:
    period = parse_period(code)
    return BenefitFigure.objects.create(
        table=table,
        area=area,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        full_time_persons=Decimal(str(persons)),
        share_of_labour_force=None if labour is None else Decimal(str(labour)),
        share_of_population=None if population is None else Decimal(str(population)),
    )


def keyfigure_data(months: int = 3, *, national: bool = True, areas=("Syddjurs", "Favrskov")) -> None:
    """Figures for the key figures page: PTVA02 and Y01A02 for Norddjurs, the country and `areas`, `months` months
    of 2025-2026 (used by the width crawl too)."""
    rows = []
    for i in range(months):
        code = f"{2022 + (i // 12)}M{i % 12 + 1:02d}"
        period = parse_period(code)
        values = [("Norddjurs", 2400 + i, "15.1", "12.0"), *[(a, 3000 + i, "14.2", "11.5") for a in areas]]
        if national:
            values.append(("Hele landet", 420000 + i, "13.8", "11.2"))
        for area, persons, labour, population in values:
            for table, scale in ((ALL_BENEFITS_TABLE, 1), (UNEMPLOYMENT_TABLE, 8)):
                rows.append(
                    BenefitFigure(
                        table=table,
                        area=area,
                        period_code=code,
                        period_start=period.start,
                        period_end=period.end,
                        full_time_persons=Decimal(persons) / scale,
                        share_of_labour_force=Decimal(labour) / scale,
                        share_of_population=Decimal(population) / scale,
                    )
                )
    BenefitFigure.objects.bulk_create(rows)


@pytest.fixture
def group(db):
    return ComparisonGroup.objects.create(name="Østjylland", areas=["Syddjurs", "Favrskov", "Randers", "Skanderborg"])


# --- the services ---


def test_group_share_is_weighted_by_the_labour_force_of_the_municipalities_with_figures(group):
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5)
    figure(ALL_BENEFITS_TABLE, "Hele landet", "2026M03", 400000, labour="13.5")
    # Syddjurs: 100 / 10 % -> labour force 1,000; Favrskov: 300 / 20 % -> 1,500. Weighted: 400 / 2,500 = 16 %
    # (the plain mean of the shares would be 15 %). Randers and Skanderborg have no figure for the month.
    figure(ALL_BENEFITS_TABLE, "Syddjurs", "2026M03", 100, labour=10)
    figure(ALL_BENEFITS_TABLE, "Favrskov", "2026M03", 300, labour=20)
    row = services.build(str(group.pk)).shares[-1]
    assert row.mine == Decimal(5)
    assert row.group == Decimal(16)
    assert row.group_count == 2
    assert row.national == Decimal("13.5") and not row.national_computed


def test_group_that_names_norddjurs_is_counted_without_it():
    group = ComparisonGroup.objects.create(name="Med Norddjurs", areas=["Norddjurs", "Syddjurs"])
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5)
    figure(ALL_BENEFITS_TABLE, "Syddjurs", "2026M03", 100, labour=10)
    data = services.build(str(group.pk))
    assert (data.shares[-1].group, data.shares[-1].group_count, data.group_size) == (Decimal(10), 1, 1)


def test_weighted_share_leaves_out_an_area_without_a_share():
    figures = [
        services.Figure(Decimal(100), Decimal(10), None),
        services.Figure(Decimal(300), Decimal(20), None),
        services.Figure(Decimal(999), None, None),
    ]
    assert services.weighted_share(figures) == (Decimal(16), 2)
    assert services.weighted_share([]) == (None, 0)


def test_missing_hele_landet_is_computed_from_every_municipality(group):
    # No "Hele landet" row: Norddjurs 50 / 5 % (1,000), Syddjurs 100 / 10 % (1,000), Favrskov 300 / 20 % (1,500),
    # so the country is 450 / 3,500 = 12.857 %.
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5)
    figure(ALL_BENEFITS_TABLE, "Syddjurs", "2026M03", 100, labour=10)
    figure(ALL_BENEFITS_TABLE, "Favrskov", "2026M03", 300, labour=20)
    data = services.build(str(group.pk))
    row = data.shares[-1]
    assert row.national_computed and row.national_count == 3
    assert round(row.national, 3) == Decimal("12.857")
    assert data.national_computed == [row]


def test_a_month_with_hele_landet_uses_its_row_beside_one_computed():
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M02", 50, labour=5)
    figure(ALL_BENEFITS_TABLE, "Hele landet", "2026M02", 1000, labour="12.5")
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5)
    figure(ALL_BENEFITS_TABLE, "Syddjurs", "2026M03", 150, labour=15)
    first, second = services.build().shares
    assert (first.national, first.national_computed) == (Decimal("12.5"), False)
    assert (second.national, second.national_computed, second.national_count) == (Decimal(10), True, 2)


def test_no_country_is_computed_from_norddjurs_alone():
    """A file for Norddjurs only: comparing it with a 'country' of itself would say 100 % of the a-dagpenge."""
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5, population=4)
    figure(UNEMPLOYMENT_TABLE, "Norddjurs", "2026M03", 20, population="0.5")
    data = services.build()
    assert (data.shares[-1].national, data.shares[-1].national_computed) == (None, False)
    row = data.unemployment[-1]
    assert (row.national, row.unemployment_share, row.population_share) == (None, None, None)


def test_unemployment_share_beside_population_share():
    # A-dagpenge: Norddjurs 20 of the country's 1,000 full-time persons = 2 %.
    figure(UNEMPLOYMENT_TABLE, "Norddjurs", "2026M03", 20, population="0.5")
    figure(UNEMPLOYMENT_TABLE, "Hele landet", "2026M03", 1000, population="0.8")
    # The population from PTVA02: Norddjurs 50 x 100 / 2.5 = 2,000; the country 8,000 x 100 / 10 = 80,000: 2.5 %.
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5, population="2.5")
    figure(ALL_BENEFITS_TABLE, "Hele landet", "2026M03", 8000, labour=12, population=10)
    row = services.build().unemployment[-1]
    assert row.unemployment_share == Decimal(2)
    assert row.population_share == Decimal("2.5")


def test_population_share_from_the_a_dagpenge_table_where_ptva02_lacks_the_month():
    # Y01A02's own: Norddjurs 20 x 100 / 0.5 = 4,000; the country 1,000 x 100 / 0.8 = 125,000: 3.2 %.
    figure(UNEMPLOYMENT_TABLE, "Norddjurs", "2026M03", 20, population="0.5")
    figure(UNEMPLOYMENT_TABLE, "Hele landet", "2026M03", 1000, population="0.8")
    row = services.build().unemployment[-1]
    assert row.population_share == Decimal("3.2")


def test_unemployment_without_hele_landet_sums_the_municipalities():
    figure(UNEMPLOYMENT_TABLE, "Norddjurs", "2026M03", 20, population="0.5")
    figure(UNEMPLOYMENT_TABLE, "Syddjurs", "2026M03", 30, population="0.6")
    row = services.build().unemployment[-1]
    assert row.national_computed and row.national == Decimal(50) and row.national_count == 2
    assert row.unemployment_share == Decimal(40)
    # Populations 4,000 and 5,000 (30 x 100 / 0.6): Norddjurs is 4,000 of 9,000.
    assert round(row.population_share, 3) == Decimal("44.444")


def test_only_monthly_figures_of_the_newest_five_years_are_shown():
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026M03", 50, labour=5)
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2021M04", 50, labour=5)  # the first month of the five years
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2021M03", 50, labour=5)  # older
    figure(ALL_BENEFITS_TABLE, "Norddjurs", "2026Q1", 50, labour=5)  # a quarter: another series
    assert [row.period.code for row in services.build().shares] == ["2021M04", "2026M03"]


def test_default_group_is_the_first_by_name_and_a_chosen_one_is_used(group):
    other = ComparisonGroup.objects.create(name="Andre", areas=["Syddjurs"])
    assert services.build().group == other
    assert services.build(str(group.pk)).group == group
    assert services.build("not-a-number").group == other


def test_local_figures_newest_year_first_with_earlier_years():
    LocalKeyFigure.objects.create(kind=Kind.CONTACT, year=2021, value=7000, source="Fasit")
    data = services.build()
    assert [y.year for y in data.local_years] == [2021, 2020]
    assert [item.value for item in data.local_newest.kinds] == [7000, None, None]
    assert [item.value for item in data.local_earlier[0].kinds] == [6945, 3808, 9095]


def test_benchmark_place_is_the_newest_period_with_the_total_as_headline():
    data = services.build()
    assert data.benchmark_headline.benefit_group == "Ydelsesgrupper i alt"
    assert data.benchmark_headline.rank == 23
    assert [r.benefit_group for r in data.benchmark_results][-1] == "Ydelsesgrupper i alt"


# --- the seed ---


def test_seed_holds_the_introductions_2020_figures():
    figures = {f.kind: f for f in LocalKeyFigure.objects.filter(year=2020)}
    assert {kind: f.value for kind, f in figures.items()} == {
        Kind.PUPILS: 3808,
        Kind.CONTACT: 6945,
        Kind.PENSIONERS: 9095,
    }
    assert figures[Kind.CONTACT].source == "Statistikbanken (UDDAKT20), Fasit og jobindsats pr. 17. december 2021"


def test_seed_again_changes_nothing_and_keeps_an_administrators_edit(administrator):
    services.save_year(2020, {Kind.CONTACT: (7001, "Fasit, rettet")}, administrator)
    for overwrite in (False, True):
        seeder = Seeder(overwrite=overwrite)
        seed.load(seeder)
        assert seeder.changed == 0
    contact = LocalKeyFigure.objects.get(year=2020, kind=Kind.CONTACT)
    assert (contact.value, contact.source, contact.entered_by) == (7001, "Fasit, rettet", administrator)


# --- the page ---


@pytest.mark.parametrize("persona", ["member", "caseworker", "administrator"])
def test_page_opens_for_every_role(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get(OVERVIEW)
    assert response.status_code == 200
    assert "Nøgletal" in response.text


def test_page_sends_anonymous_to_login_and_refuses_a_user_without_a_role(client, outsider):
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(OVERVIEW).status_code == 403


def test_empty_page_names_the_tables_that_feed_it(client_for, member):
    text = client_for(member).get(OVERVIEW).text
    assert "Der er ingen tal fra Jobindsats endnu" in text
    assert "PTVA02" in text and "Y01A02" in text
    # The local figures and the benchmark come from the seed; the framework conditions are fixed.
    assert "6.945" in text and "nr. 23 af 98" in text
    assert "7. dårligste rammevilkår" in text and "VIVE" in text
    assert 'href="/maal/benchmark/"' in text


def test_page_shows_figures_sources_periods_next_update_and_the_data_note(client_for, member, group):
    keyfigure_data(3)
    TableMetadata.objects.create(table=ALL_BENEFITS_TABLE, next_update=date(2027, 1, 12))
    text = client_for(member).get(OVERVIEW).text
    assert "Jobindsats.dk, tabel PTVA02: fuldtidspersoner i pct. af arbejdsstyrken 16-66 år" in text
    assert "12. januar 2027" in text and "ikke oplyst" in text  # PTVA02's next update; Y01A02's unknown
    assert "januar 2022 – marts 2022" in text
    assert "15-66 år" in text and "Siden bruger tabellens 16-66 år" in text
    assert "Norddjurs: 15,1 %" in text
    assert "Østjylland: 14,2 % (2 af 4 kommuner med tal)" in text
    assert 'data-plotly-figure="andel-figur"' in text and 'data-plotly-figure="adagpenge-figur"' in text
    assert "Hele landet er regnet ud af" not in text


def test_table_beside_the_chart_shows_the_newest_year_and_folds_out_the_older_months(client_for, member):
    keyfigure_data(20)
    text = client_for(member).get(OVERVIEW).text
    assert text.count("Vis 8 ældre måneder") == 2  # the share and the a-dagpenge tables
    recent, older = text.split("Vis 8 ældre måneder", 1)
    assert "september 2023" not in text  # none: 20 months from January 2022 end in August 2023
    assert "august 2023" in recent and "januar 2022" in older.split("</details>", 1)[0]


def test_page_says_when_the_country_is_computed(client_for, member):
    keyfigure_data(2, national=False)
    text = client_for(member).get(OVERVIEW).text
    assert "ingen række for hele landet i 2 måneder" in text
    assert "I februar 2022 havde 3 af 98 kommuner tal." in text


def test_page_says_when_the_country_is_missing(client_for, member):
    keyfigure_data(2, national=False, areas=())
    text = client_for(member).get(OVERVIEW).text
    assert "Hele landet mangler for 2 måneder" in text
    assert "Hele landet: - %." in text


def test_page_names_the_municipalities_behind_a_computed_country_for_a_dagpenge(client_for, member):
    keyfigure_data(2, national=False)
    text = client_for(member).get(OVERVIEW).text
    assert "Dér er hele landet summen af kommunernes tal." in text
    assert text.count("I februar 2022 havde 3 af 98 kommuner tal.") == 2


def test_page_shows_no_repository_names_paths_or_guesses(client_for, member):
    keyfigure_data(2, national=False)
    text = client_for(member).get(OVERVIEW).text.lower()
    for word in ("github", ".py", "src/", "gæt", "seed", "randers"):
        assert word not in text


def test_share_table_exports_as_csv(client_for, member, group):
    keyfigure_data(2)
    response = client_for(member).get(OVERVIEW, {"tabel": "andel", "eksport": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    assert "Østjylland" in content and "Hele landet" in content


def test_member_page_is_served_from_the_cache_until_a_local_figure_changes(client_for, member, administrator):
    client = client_for(member)
    assert client.get(OVERVIEW)["X-Page-Cache"] == "miss"
    assert client.get(OVERVIEW)["X-Page-Cache"] == "hit"
    services.save_year(2021, {Kind.CONTACT: (7123, "Fasit")}, administrator)
    page = client.get(OVERVIEW)
    assert page["X-Page-Cache"] == "miss" and "7.123" in page.text


def test_nav_has_key_figures_for_members(client_for, member):
    text = client_for(member).get(reverse("plans:goal_list")).text
    assert f'href="{OVERVIEW}"' in text and ">Nøgletal<" in text


def test_english_page_writes_periods_and_dates_in_english(client_for, member):
    keyfigure_data(2)
    TableMetadata.objects.create(table=ALL_BENEFITS_TABLE, next_update=date(2027, 1, 12))
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en"})
    text = client.get(OVERVIEW).text
    assert "January 2022" in text and "12 January 2027" in text
    assert "januar 2022" not in text and "12. januar 2027" not in text


def test_english_labels_once_the_translations_are_merged(client_for, member):
    with translation.override("en"):
        if translation.gettext("Andel af arbejdsstyrken på offentlig forsørgelse") == (
            "Andel af arbejdsstyrken på offentlig forsørgelse"
        ):
            pytest.skip("keyfigures.po (/work/notes/po) is not merged into the English catalogue yet")
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en"})
    text = client.get(OVERVIEW).text
    assert "Key figures" in text and "Share of the labour force on public support" in text
    assert "Andel af arbejdsstyrken på offentlig forsørgelse" not in text and "Hent tabellen" not in text


# --- the administrators' page ---


def test_local_edit_is_refused_to_members_and_caseworkers(client_for, member, caseworker):
    for user in (member, caseworker):
        client = client_for(user)
        assert client.get(LOCAL_EDIT).status_code == 403
        assert client.post(LOCAL_EDIT, {"year": 2021}).status_code == 403


def _post(year="2021", **values):
    data = {"year": year}
    for kind in Kind.values:
        data[kind] = values.get(kind, "1.000")
        data[f"{kind}_source"] = values.get(f"{kind}_source", "Fasit pr. 3. januar 2022")
    return data


def test_administrator_saves_a_years_figures_with_who_entered_them(client_for, administrator):
    client = client_for(administrator)
    response = client.post(LOCAL_EDIT, _post(kontaktforloeb="7.012", grundskoleelever="3790"))
    assert response.status_code == 302 and response["Location"] == OVERVIEW
    saved = {f.kind: f for f in LocalKeyFigure.objects.filter(year=2021)}
    assert saved[Kind.CONTACT].value == 7012 and saved[Kind.PUPILS].value == 3790
    assert saved[Kind.PENSIONERS].value == 1000
    assert all(f.entered_by == administrator for f in saved.values())
    assert saved[Kind.CONTACT].history.count() == 1
    assert "Nøgletallene for 2021 er gemt." in client.get(OVERVIEW).text


def test_new_year_form_suggests_the_year_after_the_newest_and_its_sources(client_for, administrator):
    form = client_for(administrator).get(LOCAL_EDIT).text
    assert 'name="year" value="2021"' in form
    assert "Statistikbanken (UDDAKT20), Fasit og jobindsats pr. 17. december 2021" in form
    assert 'value="6945"' not in form


def test_administrator_changes_a_year_and_only_changed_figures_are_written(client_for, administrator):
    client = client_for(administrator)
    form = client.get(LOCAL_EDIT, {"aar": 2020}).text
    assert 'value="6945"' in form and "Statistikbanken (UDDAKT20)" in form
    source = "Statistikbanken (UDDAKT20), Fasit og jobindsats pr. 17. december 2021"
    data = _post("2020", kontaktforloeb="6950", grundskoleelever="3808", folkepensionister="9095")
    data.update({f"{kind}_source": source for kind in Kind.values})
    client.post(LOCAL_EDIT, data)
    figures = {f.kind: f for f in LocalKeyFigure.objects.filter(year=2020)}
    assert figures[Kind.CONTACT].value == 6950 and figures[Kind.CONTACT].entered_by == administrator
    assert figures[Kind.PUPILS].entered_by is None  # unchanged: still the seed's


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_post(year=""), "Skriv året."),
        (_post(year="1999"), "Året skal være mellem 2000 og"),
        (_post(year=str(date.today().year + 2)), "Året skal være mellem 2000 og"),
        (_post(kontaktforloeb=""), "Skriv antallet."),
        (_post(kontaktforloeb="12,5"), "Skriv et helt tal uden decimaler."),
        (_post(kontaktforloeb="-3"), "Antallet kan ikke være negativt."),
        (_post(kontaktforloeb="mange"), "er ikke et helt tal"),
        (_post(kontaktforloeb_source="  "), "Skriv, hvor tallet kommer fra."),
        (_post(kontaktforloeb_source="x" * 301), "Kilden må højst være 300 tegn."),
    ],
)
def test_local_edit_refuses_wrong_input_in_danish(client_for, administrator, data, message):
    response = client_for(administrator).post(LOCAL_EDIT, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LocalKeyFigure.objects.filter(year=2021).exists()


def test_english_page_with_figures_has_no_danish_periods_or_dates(client_for, member, group):
    from tests.test_english import _danish_in, _documents_texts

    keyfigure_data(14, national=False)
    TableMetadata.objects.create(table=UNEMPLOYMENT_TABLE, next_update=date(2027, 3, 26))
    client = client_for(member)
    client.post(reverse("set_language"), {"language": "en"})
    assert _danish_in(client.get(OVERVIEW).content.decode(), _documents_texts()) == []


def test_charts_are_valid_plotly_figures_with_their_series(group):
    import plotly.graph_objects as go

    from plans.keyfigures import charts

    keyfigure_data(3)
    data = services.build(str(group.pk))
    share, unemployment, local = (
        charts.share_figure(data),
        charts.unemployment_figure(data),
        charts.local_figure(data.local_newest),
    )
    for spec in (share, unemployment, local):
        go.Figure(spec)  # raises on anything plotly does not know
    assert [trace["name"] for trace in share["data"]] == ["Norddjurs", "Østjylland", "Hele landet"]
    assert share["data"][0]["y"] == [15.1, 15.1, 15.1]
    assert len(unemployment["data"]) == 2
    assert local["data"][0]["y"] == [6945, 3808, 9095]
    assert local["data"][0]["x"][0] == "Borgere med<br>kontaktforløb i<br>jobcenteret"
