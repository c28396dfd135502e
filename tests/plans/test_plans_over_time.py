"""Issue 15: a new plan every year without a developer, plans over time, and the committee's annual wheel."""

import html
import io
import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.models import CalendarFeed, Fair, FairSeries, Meeting
from plans.evaluation import RuleKind
from plans.models import ExtractMapping, Goal, Indicator, Plan, TableMetadata, WheelEvent
from plans.services import plan_copy, plan_xlsx, status
from tests.support.plan_data import add

pytestmark = pytest.mark.django_db


def indicator_of(plan_year, code, position=1):
    major, minor = code.split(".")
    return Indicator.objects.get(goal__plan__year=plan_year, goal__major=major, goal__minor=minor, position=position)


def main_html(response) -> str:
    """The page's content without what differs between two requests (CSRF tokens)."""
    text = response.content.decode()
    text = text[text.index("<main") : text.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.fixture
def plan_2025(plan_2024):
    return plan_copy.copy_plan(plan_2024, 2025)


# --- the seed ------------------------------------------------------------------------------------


def test_the_seeded_plan_2024_is_adopted_and_says_its_date_is_not_in_the_document(plan_2024):
    assert Plan.objects.first() == plan_2024
    assert plan_2024.is_adopted and plan_2024.adopted_on is None
    assert "nævner ikke, hvornår udvalget vedtog den" in plan_2024.note
    assert Plan.objects.in_force(date(2026, 5, 1)) == plan_2024


# --- copying a plan ------------------------------------------------------------------------------


def test_copy_takes_minister_goals_goals_indicators_rules_mappings_and_owners(plan_2024):
    Goal.objects.filter(plan=plan_2024, major=6, minor=10).update(owner="Jobcenter Norddjurs")
    plan = plan_copy.copy_plan(plan_2024, 2025)
    assert plan.title == "Beskæftigelsesplan 2025" and not plan.is_adopted
    assert list(plan.minister_goals.values_list("number", "title")) == list(
        plan_2024.minister_goals.values_list("number", "title")
    )
    old_goals = {g.code: g for g in plan_2024.goals.all()}
    new_goals = {g.code: g for g in plan.goals.select_related("minister_goal", "predecessor")}
    assert new_goals.keys() == old_goals.keys()
    for code, goal in new_goals.items():
        old = old_goals[code]
        assert goal.predecessor == old
        assert (goal.title, goal.target_text, goal.source, goal.frequency, goal.owner) == (
            old.title,
            old.target_text,
            old.source,
            old.frequency,
            old.owner,
        )
        assert (goal.minister_goal.number if goal.minister_goal else None) == (
            old.minister_goal.number if old.minister_goal else None
        )
        assert goal.minister_goal is None or goal.minister_goal.plan == plan
    assert new_goals["6.10"].owner == "Jobcenter Norddjurs"
    for old in Indicator.objects.filter(goal__plan=plan_2024):
        new = Indicator.objects.get(predecessor=old)
        assert new.goal.plan == plan and new.predecessor_ids == [old.id]
        for name in Indicator.COPIED_FIELDS:
            assert getattr(new, name) == getattr(old, name), name
        assert list(new.mappings.values_list("table", "measure", "filters", "comparison_measure")) == list(
            old.mappings.values_list("table", "measure", "filters", "comparison_measure")
        )
    assert (
        ExtractMapping.objects.filter(indicator__goal__plan=plan).count()
        == ExtractMapping.objects.filter(indicator__goal__plan=plan_2024).count()
        > 0
    )


def test_copy_refuses_a_year_that_has_a_plan(plan_2024, plan_2025):
    with pytest.raises(Exception, match="Der findes allerede en plan for 2025"):
        plan_copy.copy_plan(plan_2024, 2025)


def test_a_copied_indicator_reads_its_predecessors_figures_without_a_reimport(plan_2024):
    old = indicator_of(2024, "1.2")
    add(old, "2023H2", "70")
    add(old, "2024H2", "82")
    plan_copy.copy_plan(plan_2024, 2025)
    new = indicator_of(2025, "1.2")
    assert not new.observations.exists()
    series = status.series_by_indicator([new])[new.id]
    assert [(p.period.code, p.value) for p in series] == [("2023H2", 70), ("2024H2", 82)]
    new.refresh_from_db()
    assert new.status == old.status  # evaluated on the same figures at the copy
    add(new, "2024H2", "83")  # the new indicator's own figure for a period wins
    add(new, "2025H1", "85")
    series = status.series_by_indicator([new])[new.id]
    assert [(p.period.code, p.value) for p in series] == [("2023H2", 70), ("2024H2", 83), ("2025H1", 85)]
    assert status.latest_by_indicator([new])[new.id].value == 85
    # Plain ids read only their own rows, as before.
    assert [p.period.code for p in status.series_by_indicator([new.id])[new.id]] == ["2024H2", "2025H1"]


def test_a_chain_over_three_plans_and_a_new_figure_for_last_year_refreshes_the_successor(plan_2024):
    add(indicator_of(2024, "1.2"), "2024H2", "82")
    plan_2025 = plan_copy.copy_plan(plan_2024, 2025)
    plan_copy.copy_plan(plan_2025, 2026)
    newest = indicator_of(2026, "1.2")
    assert newest.predecessor_ids == [indicator_of(2025, "1.2").id, indicator_of(2024, "1.2").id]
    assert [p.period.code for p in status.series_by_indicator([newest])[newest.id]] == ["2024H2"]
    Indicator.objects.filter(pk=newest.pk).update(status=0)
    status.refresh([indicator_of(2024, "1.2").id])  # as an import of last year's figures does
    newest.refresh_from_db()
    assert newest.evaluated_at is not None and newest.status != 0


# --- drafts, adoption and the plan in force ------------------------------------------------------


def test_a_draft_is_for_administrators_only(client_for, member, administrator, plan_2025):
    client = client_for(member)
    page = client.get(reverse("plans:goal_list"))
    assert "<h1>Beskæftigelsesplan 2024</h1>" in page.text
    assert "Beskæftigelsesplan 2025" not in client.get(reverse("plans:goal_list"), {"plan": 2025}).text
    assert client.get(reverse("plans:goal_detail", args=[2025, 6, 10])).status_code == 404
    assert "/maal/2025/" not in client.get(reverse("start")).text  # the start page's goals needing attention
    admin = client_for(administrator)
    page = admin.get(reverse("plans:goal_list"), {"plan": 2025})
    assert "<h1>Beskæftigelsesplan 2025</h1>" in page.text and "planen er ikke vedtaget" in page.text
    assert admin.get(reverse("plans:goal_detail", args=[2025, 6, 10])).status_code == 200


def test_after_adoption_members_see_2025_and_can_still_open_2024_unchanged(
    client_for, member, administrator, plan_2024
):
    add(indicator_of(2024, "6.10"), "2024M06", "100")
    add(indicator_of(2024, "6.10"), "2023M06", "90")
    status.refresh()
    client = client_for(member)
    before = main_html(client.get(reverse("plans:goal_detail", args=[2024, 6, 10])))

    admin = client_for(administrator)
    response = admin.post(reverse("plans:plan_new"), {"source": plan_2024.pk, "year": 2025, "title": ""})
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_detail", args=[2025])
    response = admin.post(
        reverse("plans:plan_adopt", args=[2025]),
        {"adopted_on": "2024-11-12", "decision_reference": "AMU 12.11.2024, pkt. 5", "note": ""},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(year=2025)
    assert (
        plan.is_adopted
        and plan.adopted_on == date(2024, 11, 12)
        and plan.decision_reference == "AMU 12.11.2024, pkt. 5"
    )

    client = client_for(member)
    overview = client.get(reverse("plans:goal_list"))
    assert "<h1>Beskæftigelsesplan 2025</h1>" in overview.text
    assert '<option value="2024">Beskæftigelsesplan 2024</option>' in overview.text
    earlier = client.get(reverse("plans:goal_list"), {"plan": 2024})
    assert "<h1>Beskæftigelsesplan 2024</h1>" in earlier.text
    assert "som de stod ved planens udløb" in html.unescape(earlier.text) and "31. december 2024" in earlier.text
    assert (
        main_html(client.get(reverse("plans:goal_detail", args=[2024, 6, 10]))) == before
    )  # 2024's goal page unchanged
    # The filter keeps the chosen plan.
    assert '<input type="hidden" name="plan" value="2024">' in earlier.text
    assert (
        "<h1>Beskæftigelsesplan 2024</h1>"
        in client.get(reverse("plans:goal_list"), {"plan": 2024, "source": "jobindsats"}).text
    )


def test_an_earlier_plan_shows_its_statuses_as_at_its_end(client_for, member, plan_2024):
    indicator = indicator_of(2024, "1.2")  # at least 80 %
    add(indicator, "2024H2", "85")
    add(indicator, "2026H1", "50")  # a later figure (read by the 2025 plan's chain) must not change 2024's verdict
    plan = plan_copy.copy_plan(plan_2024, 2025)
    plan_copy.adopt(plan, date(2024, 11, 12), "AMU")
    status.refresh()
    client = client_for(member)
    earlier = client.get(reverse("plans:goal_list"), {"plan": 2024, "status": "0"}).text
    assert 'href="/maal/2024/1.2/"' in earlier  # on track at the end of 2024
    now = client.get(reverse("plans:goal_list"), {"status": "0"}).text
    assert 'href="/maal/2025/1.2/"' not in now  # the plan in force: not on track today


def test_the_predecessor_chart_shows_both_years(client_for, member, plan_2024):
    old = indicator_of(2024, "1.2")
    add(old, "2024H1", "78")
    add(old, "2024H2", "82")
    plan = plan_copy.copy_plan(plan_2024, 2025)
    plan_copy.adopt(plan, date(2024, 11, 12), "AMU")
    new = indicator_of(2025, "1.2")
    add(new, "2025H1", "84")
    page = client_for(member).get(reverse("plans:goal_detail", args=[2025, 1, 2]))
    figure = json.loads(
        html.unescape(
            re.search(rf'<script id="figur-{new.id}" type="application/json">(.*?)</script>', page.text, re.S).group(1)
        )
    )
    own, earlier = figure["data"][0], figure["data"][1]
    assert earlier["name"] == "Norddjurs, mål 1.2 i Beskæftigelsesplan 2024"
    assert own["y"] == [None, None, 84.0] and earlier["y"] == [78.0, 82.0, None]
    assert own["x"] == earlier["x"] and len(own["x"]) == 3
    assert "graferne viser også forgængerens tal." in page.text and 'href="/maal/2024/1.2/"' in page.text
    # 2024's own chart has no second series.
    page = client_for(member).get(reverse("plans:goal_detail", args=[2024, 1, 2]))
    figure = json.loads(
        html.unescape(
            re.search(rf'<script id="figur-{old.id}" type="application/json">(.*?)</script>', page.text, re.S).group(1)
        )
    )
    assert all("Beskæftigelsesplan" not in trace["name"] for trace in figure["data"])


# --- the administrators' forms -------------------------------------------------------------------


def _goal_post(goal, **changes):
    data = {
        "major": goal.major,
        "minor": goal.minor,
        "minister_goal": goal.minister_goal_id or "",
        "kind": goal.kind,
        "title": goal.title,
        "metric": goal.metric,
        "target_text": goal.target_text,
        "follow_up_text": goal.follow_up_text,
        "source": goal.source,
        "frequency": goal.frequency,
        "owner": goal.owner,
    }
    indicators = list(goal.indicators.all()) if goal.pk else []
    data.update(
        {
            "indikator-TOTAL_FORMS": len(indicators) + 1,
            "indikator-INITIAL_FORMS": len(indicators),
            "indikator-MIN_NUM_FORMS": 1,
            "indikator-MAX_NUM_FORMS": 1000,
        }
    )
    for n, i in enumerate(indicators):
        data.update(
            {
                f"indikator-{n}-id": i.pk,
                f"indikator-{n}-goal": goal.pk,
                f"indikator-{n}-name": i.name,
                f"indikator-{n}-unit": i.unit,
                f"indikator-{n}-comparison_label": i.comparison_label,
                f"indikator-{n}-rule": i.rule,
                f"indikator-{n}-threshold": "" if i.threshold is None else str(i.threshold).replace(".", ","),
                f"indikator-{n}-tolerance": "" if i.tolerance is None else str(i.tolerance).replace(".", ","),
                f"indikator-{n}-risk_margin": str(i.risk_margin).replace(".", ","),
                f"indikator-{n}-higher_is_better": "on" if i.higher_is_better else "",
                f"indikator-{n}-rule_note": i.rule_note,
                f"indikator-{n}-local_instruction": i.local_instruction,
            }
        )
        if i.strict:
            data[f"indikator-{n}-strict"] = "on"
    extra = len(indicators)  # the empty extra form, as the browser sends it (its defaults: unchanged, so skipped)
    data.update({f"indikator-{extra}-higher_is_better": "on", f"indikator-{extra}-risk_margin": "0"})
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_administrator_changes_a_target_adds_and_removes_goals(client_for, administrator, plan_2025):
    client = client_for(administrator)
    goal = Goal.objects.get(plan=plan_2025, major=1, minor=2)
    response = client.post(
        reverse("plans:plan_goal_edit", args=[2025, goal.pk]), _goal_post(goal, **{"indikator-0-threshold": "85"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert indicator_of(2025, "1.2").threshold == 85 and indicator_of(2024, "1.2").threshold == 80

    new = Goal(
        plan=plan_2025,
        major=6,
        minor=14,
        kind="lokalt",
        title="Flere i fleksjob",
        metric="Antal i fleksjob",
        target_text="Flere i fleksjob end året før",
        follow_up_text="Halvårligt",
        source="jobindsats",
        frequency="halvaarlig",
    )
    data = _goal_post(
        new,
        **{
            "indikator-0-name": "Fuldtidspersoner i fleksjob",
            "indikator-0-unit": "antal",
            "indikator-0-rule": "stigning",
            "indikator-0-higher_is_better": "on",
            "indikator-0-risk_margin": "0",
        },
    )
    response = client.post(reverse("plans:plan_goal_new", args=[2025]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Goal.objects.get(plan=plan_2025, major=6, minor=14)
    assert added.predecessor is None and added.indicators.get().rule == RuleKind.INCREASE

    # A rule without its required value is refused with the model's Danish message.
    data = _goal_post(goal, **{"indikator-0-threshold": ""})
    assert (
        "Skal udfyldes for denne målregel."
        in client.post(reverse("plans:plan_goal_edit", args=[2025, goal.pk]), data).text
    )
    # The same number twice is refused.
    data = _goal_post(
        new, minor=2, **{"indikator-0-name": "X", "indikator-0-unit": "antal", "indikator-0-rule": "stigning"}
    )
    assert (
        "Planen har allerede et mål med det nummer."
        in client.post(reverse("plans:plan_goal_new", args=[2025]), data).text
    )

    delete = reverse("plans:plan_goal_delete", args=[2025, added.pk])
    assert "Fjern mål 6.14" in client.post(delete).text  # asks first
    assert client.post(delete, {"bekraeft": "ja"}).status_code == 302
    assert not Goal.objects.filter(pk=added.pk).exists()


def test_an_adopted_plans_goals_are_not_edited_through_the_plan_forms(client_for, administrator, plan_2024):
    goal = Goal.objects.get(plan=plan_2024, major=1, minor=2)
    client = client_for(administrator)
    response = client.post(reverse("plans:plan_goal_edit", args=[2024, goal.pk]), _goal_post(goal, title="Ændret"))
    assert response.status_code == 302 and Goal.objects.get(pk=goal.pk).title != "Ændret"
    assert client.post(reverse("plans:plan_goal_delete", args=[2024, goal.pk]), {"bekraeft": "ja"}).status_code == 302
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_adoption_needs_a_date_and_the_decision(client_for, administrator, plan_2025):
    response = client_for(administrator).post(
        reverse("plans:plan_adopt", args=[2025]), {"adopted_on": "", "decision_reference": ""}
    )
    assert response.status_code == 200 and response.text.count("Dette felt er påkrævet.") == 2
    plan_2025.refresh_from_db()
    assert not plan_2025.is_adopted


# --- the XLSX template and import ----------------------------------------------------------------


def _workbook(plan):
    return load_workbook(io.BytesIO(plan_xlsx.build(plan)))


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_template_holds_the_plan_and_imports_as_next_years_plan(client_for, administrator, plan_2024):
    response = client_for(administrator).get(reverse("plans:plan_template", args=[2024]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Plan", "Ministermål", "Vejledning"]
    rows = list(workbook["Plan"].iter_rows(values_only=True))
    assert list(rows[0]) == plan_xlsx.HEADER
    assert len(rows) - 1 == Indicator.objects.filter(goal__plan=plan_2024).count()
    sheet = workbook["Plan"]
    sheet.cell(row=2, column=plan_xlsx.HEADER.index("Hvad følges der op på?") + 1, value="Nyt resultatmål")
    upload = SimpleUploadedFile("plan.xlsx", _bytes(workbook))
    response = client_for(administrator).post(reverse("plans:plan_import"), {"year": 2025, "title": "", "file": upload})
    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    plan = Plan.objects.get(year=2025)
    assert not plan.is_adopted and plan.title == "Beskæftigelsesplan 2025"
    assert plan.goals.count() == plan_2024.goals.count() and plan.minister_goals.count() == 5
    assert Goal.objects.get(plan=plan, major=1, minor=1).title == "Nyt resultatmål"
    assert all(
        g.predecessor.plan == plan_2024 and g.predecessor.code == g.code
        for g in plan.goals.select_related("predecessor__plan")
    )
    for old in Indicator.objects.filter(goal__plan=plan_2024):
        new = Indicator.objects.get(predecessor=old)
        for name in Indicator.COPIED_FIELDS:
            assert getattr(new, name) == getattr(old, name), name
        assert new.mappings.count() == old.mappings.count()


BAD_CELLS = [
    ("Målregel", "mindst 80", "kolonne 'Målregel': 'mindst 80' er ikke en af de tilladte værdier"),
    ("Grænseværdi", "12,5x", "kolonne 'Grænseværdi': '12,5x' er ikke et tal"),
    ("Grænseværdi", "150", "kolonne 'Grænseværdi': En andel skal ligge mellem 0 og 100 %."),
    ("Grænseværdi", None, "kolonne 'Grænseværdi': Skal udfyldes for denne målregel."),
    ("Mål", "seks", "kolonne 'Mål': 'seks' er ikke et målnummer som 6.10."),
    ("Forgænger", "9.9", "kolonne 'Forgænger': mål 9.9 findes ikke i Beskæftigelsesplan 2024."),
    ("Forgænger", "sidste år", "kolonne 'Forgænger': 'sidste år' er ikke et målnummer som 6.10."),
    ("Ministermål", "to", "kolonne 'Ministermål': 'to' er ikke et helt tal."),
    ("Ministermål", "7", "kolonne 'Ministermål': ministermål 7 står ikke på arket Ministermål."),
    ("Skarp grænse", "måske", "kolonne 'Skarp grænse': 'måske' er hverken ja eller nej."),
    ("Enhed", None, "kolonne 'Enhed': skal udfyldes."),
    ("Indikator nr.", "1,5", "kolonne 'Indikator nr.': '1,5' er ikke et helt tal."),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_CELLS, ids=[c[0] + "-" + str(c[1]) for c in BAD_CELLS])
def test_a_bad_cell_refuses_the_whole_file_with_row_and_column(plan_2024, column, value, message):
    workbook = _workbook(plan_2024)
    sheet = workbook["Plan"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "1.2")  # at least 80 %, a share
    sheet.cell(row=row, column=plan_xlsx.HEADER.index(column) + 1).value = value
    with pytest.raises(plan_xlsx.PlanImportError) as caught:
        plan_xlsx.import_plan(_bytes(workbook), 2025, "Beskæftigelsesplan 2025")
    assert any(m.startswith(f"Række {row}, ") and message in m for m in caught.value.messages), caught.value.messages
    assert not Plan.objects.filter(year=2025).exists() and not Goal.objects.filter(plan__year=2025).exists()


def test_empty_indicator_number_and_yes_no_cells_take_their_defaults(plan_2024):
    workbook = _workbook(plan_2024)
    sheet = workbook["Plan"]
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "6.1"]
    for column in ("Indikator nr.", "Skarp grænse", "Højere er bedre"):
        sheet.cell(rows[1], plan_xlsx.HEADER.index(column) + 1).value = None
    indicators = plan_xlsx.parse(_bytes(workbook), 2025)["goals"][(6, 1)]["indicators"]
    assert [i["values"]["position"] for i in indicators] == [1, 2]  # numbered after the goal's first
    assert (indicators[1]["values"]["strict"], indicators[1]["values"]["higher_is_better"]) == (False, True)


def test_a_predecessor_without_an_earlier_plan_is_refused(plan_2024):
    with pytest.raises(plan_xlsx.PlanImportError) as caught:
        plan_xlsx.parse(plan_xlsx.build(plan_2024), 2023)
    assert "kolonne 'Forgænger': mål 1.1 findes ikke i en tidligere plan." in caught.value.messages[0]


def test_bad_files_and_sheets_are_refused_in_danish(plan_2024, plan_2025):
    def errors(raw, year=2026):
        with pytest.raises(plan_xlsx.PlanImportError) as caught:
            plan_xlsx.import_plan(raw, year, "X")
        return caught.value.messages

    assert errors(b"not a spreadsheet") == ["Filen kan ikke åbnes som et Excel-regneark (XLSX)."]
    assert errors(plan_xlsx.build(plan_2024), year=2025) == ["Der findes allerede en plan for 2025."]
    workbook = _workbook(plan_2024)
    workbook["Plan"].title = "Ark1"
    assert errors(_bytes(workbook)) == ["Regnearket har intet ark med navnet 'Plan'. Brug skabelonen fra portalen."]
    workbook = _workbook(plan_2024)
    workbook["Plan"].delete_cols(plan_xlsx.HEADER.index("Målregel") + 1)
    assert errors(_bytes(workbook)) == ["Arket 'Plan' mangler kolonnen 'Målregel'."]
    workbook = _workbook(plan_2024)
    workbook["Plan"].delete_rows(2, workbook["Plan"].max_row)
    assert errors(_bytes(workbook)) == ["Arket 'Plan' har ingen mål."]
    # 6.1 has two indicators: the second row must repeat the goal's texts, and two rows may not claim one number.
    workbook = _workbook(plan_2024)
    sheet = workbook["Plan"]
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "6.1"]
    sheet.cell(rows[1], plan_xlsx.HEADER.index("Målet") + 1, value="Et andet mål")
    sheet.cell(rows[1], plan_xlsx.HEADER.index("Indikator nr.") + 1, value=1)
    messages = errors(_bytes(workbook))
    assert f"Række {rows[1]}, kolonne 'Målet': mål 6.1 står med en anden værdi her end i række {rows[0]}." in messages
    assert f"Række {rows[1]}, kolonne 'Indikator nr.': mål 6.1 har allerede en indikator nr. 1." in messages
    assert Plan.objects.count() == 2


def test_the_import_page_lists_the_errors(client_for, administrator, plan_2024):
    upload = SimpleUploadedFile("plan.xlsx", b"PK\x03\x04 broken")
    response = client_for(administrator).post(reverse("plans:plan_import"), {"year": 2025, "file": upload})
    assert response.status_code == 200
    assert "Filen kan ikke åbnes som et Excel-regneark (XLSX)." in html.unescape(response.text)
    upload = SimpleUploadedFile("plan.csv", b"a;b")
    response = client_for(administrator).post(reverse("plans:plan_import"), {"year": 2025, "file": upload})
    assert "Vælg en XLSX-fil" in html.unescape(response.text)
    assert not Plan.objects.filter(year=2025).exists()


# --- the annual wheel ----------------------------------------------------------------------------


def test_the_wheel_shows_fixed_and_derived_events_by_month(client_for, member, plan_2024):
    WheelEvent.objects.create(title="Ministeren udmelder beskæftigelsespolitiske mål", kind="ministermaal", month=6)
    plan = plan_copy.copy_plan(plan_2024, 2025)
    plan_copy.adopt(plan, date(2025, 10, 28), "AMU 28.10.2025, pkt. 4")
    TableMetadata.objects.create(table="Y30R21", title="Benchmark", next_update=date(2025, 3, 14))
    page = client_for(member).get(reverse("plans:wheel"), {"aar": 2025})
    text = html.unescape(page.text)
    assert "<h1>Årshjul 2025</h1>" in text
    months = re.findall(r'<h2 id="maaned-(\d+)">', text)
    assert months == [str(n) for n in range(1, 13)]
    for expected in (
        "Ministeren udmelder beskæftigelsespolitiske mål",
        "Beskæftigelsesplan 2025 vedtaget",
        "Halvårlig målopfølgning: 1. halvår 2025",
        "Jobindsats opdaterer tabel Y30R21",
        "Frist for ansøgninger til udvalgets pulje",
        "Politisk følgegruppe",
    ):
        assert expected in text, expected
    assert 'href="/maal/rapport/?halvaar=2025H1"' in text
    june = text[text.index('id="maaned-6"') : text.index('id="maaned-7"')]
    # dated first, then the month's undated events
    assert june.index('datetime="2025-06-18"') < june.index("Ministeren udmelder")
    assert "Tilføj fast begivenhed" not in text


def test_the_wheel_shows_the_fairs_and_their_deadline(client_for, member):
    series = FairSeries.objects.get()
    page = html.unescape(
        client_for(member).get(reverse("plans:wheel"), {"aar": series.registration_deadline.year}).text
    )
    assert f"Tilmeldingsfrist for foreninger: {series.title}" in page
    fair = Fair.objects.create(series=series, venue="Auning Bibliotek", date=date(2027, 3, 4))
    page = html.unescape(client_for(member).get(reverse("plans:wheel"), {"aar": 2027}).text)
    assert f"{series.title}, Auning Bibliotek" in page and f'href="/arrangementer/messe/{fair.pk}/"' in page


def test_administrators_keep_the_fixed_events(client_for, administrator):
    client = client_for(administrator)
    response = client.post(
        reverse("plans:wheel_event_new"), {"title": "Ministerens mål", "kind": "ministermaal", "month": 6, "day": 31}
    )
    assert "Måneden har ikke så mange dage." in html.unescape(response.text)
    response = client.post(
        reverse("plans:wheel_event_new"), {"title": "Ministerens mål", "kind": "ministermaal", "month": 6, "day": 20}
    )
    assert response.status_code == 302
    event = WheelEvent.objects.get(title="Ministerens mål")
    page = client.get(reverse("plans:wheel")).text
    assert reverse("plans:wheel_event_edit", args=[event.pk]) in page
    assert client.post(reverse("plans:wheel_event_delete", args=[event.pk]), {"bekraeft": "ja"}).status_code == 302
    assert not WheelEvent.objects.filter(pk=event.pk).exists()


def test_the_calendar_feed_has_the_wheel(client, member, plan_2024):
    year = timezone.localdate().year
    WheelEvent.objects.create(title="Ministerens mål", kind="ministermaal", month=6, day=20)
    WheelEvent.objects.create(title="Budgetopfølgning", kind="andet", month=4)
    token = CalendarFeed.objects.create(user=member).token
    feed = client.get(reverse("events:calendar_feed", args=[token])).content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert "SUMMARY:Ministerens mål" in unfolded and f"DTSTART;VALUE=DATE:{year}0620" in unfolded
    assert f"SUMMARY:Halvårlig målopfølgning: 1. halvår {year}" in unfolded
    assert f"halvaar={year}H1" in unfolded
    # A month's event spans the month.
    assert f"DTSTART;VALUE=DATE:{year}0401" in unfolded and f"DTEND;VALUE=DATE:{year}0501" in unfolded
    assert unfolded.count("SUMMARY:Politisk følgegruppe") == Meeting.objects.count()  # meetings once, as before


def test_the_new_pages_in_english(client_for, administrator, plan_2025):
    client = client_for(administrator)
    client.post(reverse("set_language"), {"language": "en"})
    assert "New plan from an earlier one" in client.get(reverse("plans:plan_list")).text
    assert "Adopt the plan" in client.get(reverse("plans:plan_detail", args=[2025])).text
    text = html.unescape(client.get(reverse("plans:wheel"), {"aar": 2025}).text)
    assert "Annual wheel 2025" in text and "Half-yearly follow-up:" in text


def test_an_import_after_the_copy_feeds_both_years_indicators(plan_2024):
    from tests.plans.imports.test_service import DATA, run

    plan_copy.copy_plan(plan_2024, 2025)
    record = run((DATA / "sample_y30r21_api_v3.json").read_bytes(), "sample_y30r21_api_v3.json")
    assert record.state == "gennemfoert", record.errors
    old, new = indicator_of(2024, "1.1"), indicator_of(2025, "1.1")
    codes = ["2024QMAT02", "2024QMAT04"]
    assert sorted(old.observations.filter(area="Norddjurs").values_list("period_code", flat=True)) == [
        "2021QMAT02",
        *codes,
    ]
    assert sorted(new.observations.filter(area="Norddjurs").values_list("period_code", flat=True)) == codes
    assert [p.period.code for p in status.series_by_indicator([new])[new.id]] == [
        "2021QMAT02",
        *codes,
    ]  # the seed's figure too


def test_the_plan_template_has_a_column_for_every_authored_indicator_field():
    assert [name for _header, _model, name in plan_xlsx.INDICATOR_COLUMNS] == list(Indicator.AUTHORED_FIELDS)


def test_a_copied_indicator_keeps_its_local_instruction(plan_2024):
    local = Indicator.objects.filter(goal__plan=plan_2024).exclude(local_instruction="")
    assert local.exists()
    plan = plan_copy.copy_plan(plan_2024, 2025)
    for old in local:
        assert Indicator.objects.get(goal__plan=plan, predecessor=old).local_instruction == old.local_instruction


def test_an_administrator_edits_a_local_instruction_in_the_plan_editor(client_for, administrator, plan_2025):
    goal = Goal.objects.get(plan=plan_2025, major=1, minor=2)
    before = indicator_of(2025, "1.2").local_instruction
    assert before  # the seed's, copied with the plan
    url = reverse("plans:plan_goal_edit", args=[2025, goal.pk])
    page = client_for(administrator).get(url).content.decode()
    assert 'name="indikator-0-local_instruction"' in page and "Sådan opgøres tallet lokalt" in page
    changed = "Tæl borgerne i fagsystemet den sidste dag i kvartalet."
    response = client_for(administrator).post(url, _goal_post(goal, **{"indikator-0-local_instruction": changed}))
    assert response.status_code == 302
    assert indicator_of(2025, "1.2").local_instruction == changed
    assert indicator_of(2024, "1.2").local_instruction == before  # the plan in force keeps its own
