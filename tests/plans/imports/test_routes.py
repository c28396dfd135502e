"""Issue 10, the dashboard side: every goal's data route, the overview's newest figures however old,
the status summary, why a status is "Mangler data", and the report's half-years from the data."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.evaluation import Point, Status
from plans.imports import routes
from plans.models import DataImport, ExtractMapping, Goal, Indicator, Observation
from plans.services import status
from portal.periods import parse_period
from tests.support.plan_data import add, data_import

pytestmark = pytest.mark.django_db


def indicator_of(code: str) -> Indicator:
    major, minor = (int(n) for n in code.split("."))
    return Indicator.objects.select_related("goal").get(goal__major=major, goal__minor=minor, position=1)


def without_route(code: str) -> Indicator:
    """The goal's indicator with no active mapping and no figures (whatever the seed data ships)."""
    indicator = indicator_of(code)
    ExtractMapping.objects.filter(indicator=indicator).update(active=False)
    Observation.objects.filter(indicator=indicator).delete()
    status.refresh([indicator.id])
    return indicator


def overview_row(text: str, code: str) -> str:
    """The overview's table row(s) of one goal, as text."""
    start = text.index(f'<span class="goal-code">{code}</span>')
    return html.unescape(text[start : text.index("</tr>", start)])


def goal_page(client, code: str) -> str:
    major, minor = code.split(".")
    response = client.get(reverse("plans:goal_detail", args=[2024, int(major), int(minor)]))
    assert response.status_code == 200
    return html.unescape(response.text)


def test_overview_old_newest_figure_shows_with_target_marked_stale(client_for, member):
    """1.1's only figure is 2021QMAT02, years before the trend's window: it shows, marked forældet."""
    row = overview_row(client_for(member).get(reverse("plans:goal_list")).text, "1.1")
    assert "2.320" in row and "2.380" in row  # the value and its target (the expected number)
    assert "2. halvår 2020 - 1. halvår 2021" in row
    assert "forældet" in row


def test_overview_fresh_figure_is_not_marked_stale(client_for, member):
    indicator = indicator_of("1.2")
    today = timezone.localdate()
    add(indicator, parse_period(f"{today.year}M{today.month:02d}").code, "82.4")
    row = overview_row(client_for(member).get(reverse("plans:goal_list")).text, "1.2")
    assert "82,4 %" in row and "forældet" not in row


def test_overview_summary_counts_match_the_goals_statuses(client_for, member):
    on_track, not_met = indicator_of("1.2"), indicator_of("6.2")
    today = timezone.localdate()
    period = parse_period(f"{today.year}M{today.month:02d}").code
    add(on_track, period, "90")
    Indicator.objects.filter(pk=not_met.pk).update(status=Status.NOT_MET)
    status.refresh([on_track.id])
    text = client_for(member).get(reverse("plans:goal_list")).text
    summary = text[text.index('class="data-table summary-table') : text.index("</table>", text.index("summary-table"))]
    found = {
        html.unescape(title): [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', cells)]
        for title, cells in re.findall(
            r'<th scope="row"><a href="#section-\d+">(.*?)</a></th>(.*?)</tr>', summary, re.S
        )
    }
    expected = {}
    for goal in status.goals_with_status(Goal.objects.get(major=1, minor=1).plan):
        title = (
            f"Ministermål {goal.minister_goal.number}: {goal.minister_goal.title}"
            if goal.minister_goal
            else "Resultatmål og fokusmål"
        )
        counts = expected.setdefault(title, [0, 0, 0, 0])
        counts[[Status.ON_TRACK, Status.AT_RISK, Status.NOT_MET, Status.MISSING_DATA].index(goal.status)] += 1
    assert found == {title: [*counts, sum(counts)] for title, counts in expected.items()}
    assert (
        found["Resultatmål og fokusmål"][0] >= 1 and found["Ministermål 5: " + not_met.goal.minister_goal.title][2] >= 1
    )
    assert '<caption class="visually-hidden">Antal mål med hver status pr. ministermål</caption>' in summary
    total = re.search(r"<tfoot><tr><th scope=\"row\">I alt</th>(.*?)</tr>", summary).group(1)
    assert [int(n) for n in re.findall(r"\d+", total)][-1] == Goal.objects.count()


def test_goal_page_shows_members_the_source_in_plain_danish_and_no_route_internals(client_for, member):
    mapping = ExtractMapping.objects.get(indicator=indicator_of("1.1"), active=True)
    text = goal_page(client_for(member), "1.1")
    assert (
        "Jobindsats.dk, tabel Y30R21: faktisk antal fuldtidspersoner på offentlig forsørgelse (ydelsesgrupper i alt), "
        "sammenlignet med det forventede antal." in text
    )
    assert mapping.note and mapping.note not in text
    assert "sikkerhed" not in text.lower() and "Bekræftet" not in text and mapping.measure not in text


def test_goal_page_shows_administrators_the_mapping_its_confidence_and_note(client_for, administrator):
    mapping = ExtractMapping.objects.get(indicator=indicator_of("1.1"), active=True)
    text = goal_page(client_for(administrator), "1.1")
    assert (
        f"Kobling: tabel Y30R21, måling „{mapping.measure}“ (sikkerhed: Bekræftet), Ydelsesgrupper = Ydelsesgrupper i alt"
        in text
    )
    assert mapping.note in text
    assert reverse("imports:mapping_edit", args=[mapping.pk]) in text


def test_mapping_without_source_text_shows_table_and_measure(client_for, member):
    ExtractMapping.objects.filter(indicator=indicator_of("6.10")).update(source_text="")
    text = goal_page(client_for(member), "6.10")
    assert "Jobindsats.dk, tabel OTIJ01: Andel personer med ordinære timer." in text


def test_jobindsats_goal_without_a_published_figure_shows_how_it_is_computed(client_for, member):
    indicator = indicator_of("6.9")
    assert indicator.goal.source == Goal.Source.JOBINDSATS and indicator.local_instruction
    route = routes.describe([indicator])[indicator.id]
    assert (route.kind, route.instruction) == (routes.LOCAL, indicator.local_instruction)
    text = goal_page(client_for(member), "6.9")
    assert "Jobindsats.dk har ikke tallet som ét tal, som portalen kan hente." in text
    assert f"Sådan opgøres tallet:</strong> {indicator.local_instruction}</p>" in text
    assert "Ingen datarute." not in text


def test_goal_page_local_route_names_who_delivers_and_links_the_template_for_administrators(
    client_for, member, administrator
):
    ExtractMapping.objects.filter(indicator__goal__major=6, indicator__goal__minor=3).update(active=False)
    text = goal_page(client_for(member), "6.3")
    assert "Lokale tal, som Ungeindsatsen leverer via skabelonen for lokale tal." in text
    url = reverse("imports:template") + "?maal=6.3"
    assert url not in text
    assert url in goal_page(client_for(administrator), "6.3")


def test_goal_page_jobindsats_goal_without_mapping_says_no_route(client_for, administrator):
    indicator = without_route("6.10")
    assert indicator.goal.source == Goal.Source.JOBINDSATS and not indicator.local_instruction
    text = goal_page(client_for(administrator), "6.10")
    assert "Ingen datarute." in text and "en administrator kan oprette en kobling" in text
    assert reverse("imports:template") + "?maal=6.10" in text and reverse("imports:mapping_new") in text
    assert 'Hvorfor mangler der data?</dt><dd class="missing-reason">Ingen datarute</dd>' in text


def test_goal_page_local_goal_without_figures_says_no_figures_yet(client_for, member):
    without_route("6.5")
    text = goal_page(client_for(member), "6.5")
    assert '<dd class="missing-reason">Ingen tal endnu</dd>' in text
    assert "Ukendt, da der ingen tal er endnu." in text


def test_goal_page_old_figures_say_too_old_with_their_date_and_when_new_are_expected(client_for, member):
    text = goal_page(client_for(member), "1.1")
    assert '<dd class="missing-reason">Tallene er forældede (nyeste: 2. halvår 2020 - 1. halvår 2021)</dd>' in text
    assert "Forventes omkring marts 2022" in text  # 30 June 2021 + 6 months (half-yearly) + 3 months' publication lag
    assert "Ingen import; tallene er indtastet i hånden." in text


def test_goal_page_names_the_newest_import_to_administrators_and_its_date_to_members(client_for, member, administrator):
    indicator = indicator_of("1.2")
    old, new = data_import("y01a02-2023.csv", administrator), data_import("y01a02-2024.csv", administrator)
    DataImport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=30))
    add(indicator, "2024H2", "82", data_import=old)
    add(indicator, "2024H1", "80", data_import=new)  # an older period, corrected by the newer import
    text = goal_page(client_for(administrator), "1.2")
    assert "y01a02-2024.csv" in text and "y01a02-2023.csv" not in text
    assert "Forventes omkring september 2025" in text
    text = goal_page(client_for(member), "1.2")
    last_import = text[text.index("Seneste import</dt>") :]
    last_import = last_import[last_import.index("<dd>") + 4 : last_import.index("</dd>")]
    assert last_import.endswith(f"{timezone.localtime(new.finished_at):%Y %H.%M}")
    assert ".csv" not in text


def test_expected_figures_use_the_date_jobindsats_announced(client_for, member):
    from plans.imports.models import TableMetadata

    indicator = indicator_of("6.10")
    TableMetadata.objects.create(table="OTIJ01", next_update=date(2026, 12, 10))
    route = routes.describe([indicator])[indicator.id]
    assert (route.expected, route.announced) == (date(2026, 12, 10), True)
    text = client_for(member).get(reverse("plans:goal_detail", args=[2024, 6, 10])).content.decode()
    assert "Jobindsats opdaterer tabellen den 10. december 2026" in text


def test_missing_reason_names_each_cause():
    indicator = indicator_of("6.2")
    point = Point(parse_period("2020H1"), Decimal(1), None)
    none, local = routes.FigureSource(routes.NONE, "6.2"), routes.FigureSource(routes.LOCAL, "6.2")
    assert routes.missing_reason(indicator, none, None) == "ingen datarute"
    assert routes.missing_reason(indicator, local, None) == "ingen tal endnu"
    assert (
        routes.missing_reason(indicator, local, point, date(2021, 4, 1))
        == "tallene er forældede (nyeste: 1. halvår 2020)"
    )
    assert (
        routes.missing_reason(indicator, local, point, date(2021, 3, 31)) == ""
    )  # 9 months: half-yearly plus the publication lag


def test_report_offers_a_half_year_that_only_exists_in_the_data(client_for, member):
    client = client_for(member)
    assert '<option value="2019H1"' not in client.get(reverse("plans:report")).text
    add(indicator_of("1.2"), "2019H1", "70")
    add(indicator_of("1.2"), "2024M11", "80")
    text = client.get(reverse("plans:report")).text
    assert '<option value="2019H1">1. halvår 2019</option>' in text
    options = re.findall(r'<option value="(\d{4}H[12])"', text)
    assert options == sorted(options, reverse=True)  # newest first
    assert set(options) == {"2024H2", "2021H1", "2019H1"}  # 2021H1: 1.1's 2021QMAT02 ends in June 2021
    response = client.get(reverse("plans:report"), {"halvaar": "2019H1"})
    assert "Halvårlig målopfølgning: 1. halvår 2019" in response.text


# --- the seed's routes ---------------------------------------------------------------------------------------


def test_every_jobindsats_goal_has_an_active_mapping_or_an_instruction_and_every_local_goal_an_instruction():
    active = set(ExtractMapping.objects.filter(active=True).values_list("indicator_id", flat=True))
    indicators = list(Indicator.objects.select_related("goal"))
    assert len({i.goal_id for i in indicators}) == 22
    for indicator in indicators:
        if indicator.goal.source == Goal.Source.JOBINDSATS:
            assert indicator.id in active or indicator.local_instruction, indicator
        else:
            assert indicator.id not in active and indicator.local_instruction, indicator
    seeded = ExtractMapping.objects.filter(active=True)
    assert all(m.source_text and m.note for m in seeded)
    assert not any(m.confidence == ExtractMapping.Confidence.ADMINISTRATOR for m in seeded)


def test_goal_2_2_no_longer_maps_ended_sygedagpenge_spells():
    assert not ExtractMapping.objects.filter(table="Y07A07").exists()
    for indicator in Indicator.objects.filter(goal__major=2, goal__minor=2):
        assert not indicator.mappings.exists() and indicator.local_instruction
        assert routes.describe([indicator])[indicator.id].kind == routes.LOCAL


def test_reloading_the_seed_deactivates_a_route_it_no_longer_lists_and_keeps_administrators_routes():
    indicator = Indicator.objects.get(goal__major=2, goal__minor=2, position=1)
    removed = ExtractMapping.objects.create(
        indicator=indicator,
        table="Y07A07",
        measure="Antal afsluttede forløb",
        filters={"Varighed": "Over 104 uger"},
        confidence=ExtractMapping.Confidence.INFERRED,
    )
    own = ExtractMapping.objects.create(
        indicator=indicator,
        table="Y99A99",
        measure="Antal personer",
        confidence=ExtractMapping.Confidence.ADMINISTRATOR,
    )
    seeded = ExtractMapping.objects.get(indicator__goal__major=1, indicator__goal__minor=1)
    call_command("load_seed_data", verbosity=0)
    removed.refresh_from_db(), own.refresh_from_db(), seeded.refresh_from_db()
    assert (removed.active, own.active, seeded.active) == (False, True, True)
    assert removed.history.first().active is False  # the change is in the mapping's history


def test_mapping_editor_and_list_show_the_members_source_text(client_for, administrator):
    mapping = ExtractMapping.objects.get(indicator=indicator_of("6.10"))
    client = client_for(administrator)
    form = client.get(reverse("imports:mapping_edit", args=[mapping.pk])).text
    assert 'name="source_text"' in form and html.escape(mapping.source_text, quote=True) in form
    assert html.unescape(client.get(reverse("imports:mappings")).text).count(mapping.source_text) == 1
