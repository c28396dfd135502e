"""The goal dashboards: overview, detail, exports, administrators' input, report and benchmark."""

import html
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.evaluation import Status
from plans.models import GoalComment, Indicator, Observation, Plan
from plans.services import dashboard, status
from portal.periods import half_year_of
from tests.support.plan_data import add, fill_observations

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversations():
    """Goal 1.2 (at least 80 % with 4 conversations) with two half-years of figures."""
    indicator = Indicator.objects.get(goal__major=1, goal__minor=2)
    add(indicator, "2024H1", "78.0")
    add(indicator, "2024H2", "82.4")
    status.refresh([indicator.id], today=date(2025, 2, 15))
    return indicator


def test_overview_groups_goals_and_shows_status(client_for, member, conversations):
    response = client_for(member).get(reverse("plans:goal_list"))
    text = response.text
    assert "Resultatmål og fokusmål" in text
    assert "Ministermål 5: Virksomhederne skal sikres den nødvendige og kvalificerede arbejdskraft" in text
    assert text.count('class="goal-code"') == 22
    assert "82,4 %" in text and "80,0 %" in text  # latest value vs target, Danish format
    assert 'class="sparkline"' in text and "Udvikling: 78,0; 82,4" in text


def test_overview_filters_by_status_and_source(client_for, member, conversations):
    client = client_for(member)
    response = client.get(reverse("plans:goal_list"), {"status": Status.ON_TRACK})
    assert response.text.count('class="goal-code"') == 1
    response = client.get(reverse("plans:goal_list"), {"source": "ungeindsatsen"})
    assert response.text.count('class="goal-code"') == 4  # 6.3, 6.5, 6.6, 6.7
    response = client.get(reverse("plans:goal_list"), {"frequency": "kvartalsvis"})
    assert response.text.count('class="goal-code"') == 1  # 2.1


def test_goal_page_weight_does_not_grow_with_history(client_for, member):
    """A long history thins the chart (at most portal.charts.MAX_POINTS) and pages the table (24 rows)."""
    from portal.charts import MAX_POINTS

    client, url = client_for(member), reverse("plans:goal_detail", args=[2024, 6, 10])
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    fill_observations(120)  # ten years of months
    short = client.get(url).text
    Observation.objects.all().delete()
    fill_observations(1200)  # a hundred years: ten times the history
    long = client.get(url).text
    figure = json.loads(long.split(f'id="figur-{indicator.id}" type="application/json">')[1].split("</script>")[0])
    assert len(figure["data"][0]["x"]) == MAX_POINTS
    assert len(long) <= 1.2 * len(short)


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [(3, 5, [0, 1, 2]), (5, 5, [0, 1, 2, 3, 4]), (9, 3, [0, 4, 8]), (10, 4, [0, 3, 6, 9])],
)
def test_thinned_keeps_the_ends_and_spreads_the_rest(count, limit, expected):
    from portal.charts import thinned

    assert thinned(count, limit) == expected


def test_goal_detail_has_texts_chart_and_table(client_for, member, conversations):
    response = client_for(member).get(reverse("plans:goal_detail", args=[2024, 1, 2]))
    text = response.text
    assert "At mindst 80% af borgerne har deltaget i mindst 4 samtaler de sidste 12 måneder" in text
    assert 'data-plotly-figure="figur-' in text and "/static/vendor/plotly/plotly-basic.min.js" in text
    figure = json.loads(text.split(f'id="figur-{conversations.id}" type="application/json">')[1].split("</script>")[0])
    assert figure["data"][0]["y"] == [78.0, 82.4]
    assert figure["data"][0]["x"] == ["1.\u00a0hv.\u00a02024", "2.\u00a0hv.\u00a02024"]  # short labels on the axis
    assert figure["layout"]["separators"] == ",."
    # The unit on the axis, and numbers as the table writes them: 2.380, never "2.38k".
    assert figure["layout"]["yaxis"]["title"]["text"] == "Andel (%)" and figure["layout"]["yaxis"]["ticksuffix"] == " %"
    assert figure["layout"]["yaxis"]["tickformat"] == ",~f" and figure["data"][0]["hovertemplate"].endswith(
        "%{y:,.1f} %<extra></extra>"
    )
    assert figure["config"]["toImageButtonOptions"]["filename"] == "maal-1.2-1"
    assert "<caption>1.2 " in text and "82,4" in text
    assert "Indtast eller ret et tal" not in text  # members read only


def test_goal_detail_exports_csv_and_xlsx(client_for, member, conversations):
    client = client_for(member)
    url = reverse("plans:goal_detail", args=[2024, 1, 2])
    response = client.get(url, {"eksport": "csv", "indikator": conversations.id})
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeffPeriode;Værdi;Mål;Kilde")
    assert "2. halvår 2024;82,400;80,000;Test" in body
    response = client.get(url, {"eksport": "xlsx", "indikator": conversations.id})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == ("Periode", "Værdi", "Mål", "Kilde")
    assert ("2. halvår 2024", 82.4, 80, "Test") in values


def test_goal_page_table_holds_the_newest_periods_and_the_export_all(client_for, member):
    from plans.services.goal_page import TABLE_PERIODS

    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    months = [f"{2010 + m // 12}M{m % 12 + 1:02d}" for m in range(TABLE_PERIODS + 3)]  # 2010M01 ... 2020M03
    for n, month in enumerate(months):
        add(indicator, month, 40 + n % 7)
    client = client_for(member)
    url = reverse("plans:goal_detail", args=[2024, 6, 10])
    text = html.unescape(client.get(url).text)
    assert f"Tabellen viser de seneste {TABLE_PERIODS} perioder; de 3 ældre er med i CSV- og XLSX-filen." in text
    # Newest first, said to screen readers; a Danish pager that keeps the reader at the table.
    assert 'aria-sort="descending"' in text and '<nav class="pagination" aria-label="Sider i tabellen">' in text
    assert re.search(r'href="\?i1-page=2#tabeli1">Næste</a>', text) and 'id="tabeli1"' in text
    assert 'aria-current="page"' in text
    oldest_page = html.unescape(client.get(url, {"i1-sort": "period", "i1-page": 1}).text)
    assert "apr.\u00a02010" in oldest_page and "mar.\u00a02010" not in oldest_page  # 2010M04 is the oldest shown
    body = client.get(url, {"eksport": "csv", "indikator": indicator.id}).content.decode("utf-8-sig")
    assert len(body.splitlines()) == 1 + len(months) and "januar 2010" in body


def test_export_neutralises_formulas(client_for, member, conversations):
    Observation.objects.filter(indicator=conversations).update(source_note='=HYPERLINK("http://x")')
    response = client_for(member).get(
        reverse("plans:goal_detail", args=[2024, 1, 2]), {"eksport": "csv", "indikator": conversations.id}
    )
    assert ";\"'=HYPERLINK" in response.content.decode("utf-8")


def test_administrator_enters_an_observation_and_status_updates(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=1, goal__minor=3)
    url = reverse("plans:observation_add", args=[indicator.id])
    prefix = f"obs{indicator.id}"
    today = date.today()
    period = f"{today.year}K{(today.month - 1) // 3 + 1}"
    response = client_for(administrator).post(
        url, {f"{prefix}-period_code": period, f"{prefix}-value": "72,5"}, follow=True
    )
    assert "er gemt, og status er opdateret" in response.text
    observation = Observation.objects.get(indicator=indicator)
    assert observation.value == Decimal("72.5") and observation.period_code == period.replace("K", "Q")
    assert observation.entered_by == administrator
    indicator.refresh_from_db()
    assert indicator.status == Status.ON_TRACK


@pytest.mark.parametrize(
    ("value", "period", "message"),
    [
        ("112", "2024H2", "En andel skal ligge mellem 0 og 100 %."),
        ("12,5%x", "2024H2", "'12,5%x' er ikke et tal."),
        ("3.079,5,1", "2024H2", "'3.079,5,1' er ikke et tal."),
        ("50", "2024H3", "'2024H3' er ikke en kendt periode"),
    ],
)
def test_bad_observation_input_is_refused_in_danish(client_for, administrator, value, period, message):
    indicator = Indicator.objects.get(goal__major=1, goal__minor=3)
    prefix = f"obs{indicator.id}"
    response = client_for(administrator).post(
        reverse("plans:observation_add", args=[indicator.id]),
        {f"{prefix}-period_code": period, f"{prefix}-value": value},
        follow=True,
    )
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_correcting_a_period_replaces_its_value(client_for, administrator, conversations):
    prefix = f"obs{conversations.id}"
    client_for(administrator).post(
        reverse("plans:observation_add", args=[conversations.id]),
        {f"{prefix}-period_code": "2024h2", f"{prefix}-value": "79"},
    )
    values = dict(Observation.objects.filter(indicator=conversations).values_list("period_code", "value"))
    assert values == {"2024H1": Decimal("78"), "2024H2": Decimal("79")}


def test_administrator_comments_with_author_and_time(client_for, administrator, member):
    url = reverse("plans:comment_add", args=[2024, 6, 10])
    response = client_for(administrator).post(
        url, {"period_code": "2024H2", "text": "Flere i ordinære timer."}, follow=True
    )
    assert "Bemærkningen er gemt." in response.text
    comment = GoalComment.objects.get()
    assert (comment.author, comment.period_code) == (administrator, "2024H2")
    page = client_for(member).get(reverse("plans:goal_detail", args=[2024, 6, 10])).text
    assert "Flere i ordinære timer." in page and "2. halvår 2024" in page


@pytest.mark.parametrize("persona", ["member", "caseworker"])
def test_only_administrators_comment_or_edit(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    indicator = Indicator.objects.get(goal__major=1, goal__minor=3)
    assert (
        client.post(reverse("plans:comment_add", args=[2024, 1, 3]), {"period_code": "2024H2", "text": "x"}).status_code
        == 403
    )
    assert client.post(reverse("plans:observation_add", args=[indicator.id]), {}).status_code == 403
    assert client.get(reverse("plans:indicator_rule", args=[indicator.id])).status_code == 403
    assert not GoalComment.objects.exists()


def test_setting_the_low_level_threshold_for_goal_2_1(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=2, goal__minor=1)
    today = date.today()
    add(indicator, f"{today.year}Q{(today.month - 1) // 3 + 1}", 4)
    status.refresh([indicator.id])
    indicator.refresh_from_db()
    assert indicator.status == Status.MISSING_DATA
    response = client_for(administrator).post(
        reverse("plans:indicator_rule", args=[indicator.id]),
        {"rule": "hoejst", "threshold": "6", "risk_margin": "0", "higher_is_better": "on", "strict": ""},
        follow=True,
    )
    assert "Målreglen er gemt" in response.text
    indicator.refresh_from_db()
    assert (indicator.threshold, indicator.status) == (Decimal(6), Status.ON_TRACK)


def test_rule_form_refuses_a_share_threshold_over_100(client_for, administrator):
    indicator = Indicator.objects.get(goal__major=1, goal__minor=2)
    response = client_for(administrator).post(
        reverse("plans:indicator_rule", args=[indicator.id]), {"rule": "mindst", "threshold": "180", "risk_margin": "5"}
    )
    assert "En andel skal ligge mellem 0 og 100 %." in response.text
    indicator.refresh_from_db()
    assert indicator.threshold == Decimal(80)


def test_half_year_report_evaluates_as_of_the_half_year(client_for, member, administrator, conversations):
    GoalComment.objects.create(
        goal=conversations.goal, period_code="2024H2", text="Målet er nået.", author=administrator
    )
    client = client_for(member)
    response = client.get(reverse("plans:report"), {"halvaar": "2024H2"})
    text = response.text
    assert "Halvårlig målopfølgning: 2. halvår 2024" in text
    assert text.count('class="report-section"') == 6  # results/focus goals and the five minister goals
    assert "Målet er nået." in text and "82,4 %" in text
    response = client.get(reverse("plans:report"), {"halvaar": "2024H1"})
    assert "78,0 %" in response.text and "82,4 %" not in response.text  # later figures are not used


def newest_figures(sections) -> dict:
    """{indicator id: (value, period, stale)} as a dashboard section list shows them."""
    return {
        item.indicator.id: (item.latest.value, item.latest.period.code, item.stale) if item.latest else None
        for section in sections
        for view in section.goals
        for item in view.indicators
    }


@pytest.fixture
def figures_old_and_new():
    """The seed's figures (1.1: one from 2021) and some added: old, fresh, and one a year older than its goal allows."""
    today = date.today()
    add(Indicator.objects.get(goal__major=1, goal__minor=2), f"{today.year - 4}H1", "71.0")
    add(Indicator.objects.get(goal__major=6, goal__minor=1, position=2), f"{today.year}M{today.month:02d}", 40)
    add(Indicator.objects.get(goal__major=6, goal__minor=10), f"{today.year - 1}M{today.month:02d}", "12.5")
    add(Indicator.objects.get(goal__major=2, goal__minor=1), f"{today.year - 2}Q1", 3)
    status.refresh()
    return half_year_of(today)


def test_report_and_overview_agree_on_every_indicators_newest_figure(client_for, member, figures_old_and_new):
    today, plan = date.today(), Plan.objects.in_force(date.today())
    goals = list(status.goals_with_status(plan))
    overview = newest_figures(dashboard.overview(plan, goals, today))
    report = newest_figures(dashboard.half_year_report(plan, figures_old_and_new, today))
    assert report == overview
    one_one = Indicator.objects.get(goal__major=1, goal__minor=1)
    assert overview[one_one.id] == (Decimal(2320), "2021QMAT02", True)
    assert sum(1 for figure in overview.values() if figure and figure[2]) >= 3  # stale marks are compared too
    assert sum(1 for figure in overview.values() if figure and not figure[2]) >= 1

    # And the pages show it: 1.1's row on the report has its value, period and "forældet", as on the overview.
    client = client_for(member)
    for page in (
        client.get(reverse("plans:report"), {"halvaar": figures_old_and_new.code}).text,
        client.get(reverse("plans:goal_list")).text,
    ):
        row = html.unescape(page.split('<span class="goal-code">1.1</span>')[1].split("</tr>")[0])
        assert "2.320" in row and "2. halvår 2020 - 1. halvår 2021" in row and "forældet" in row, row


def test_report_of_an_earlier_half_year_shows_an_old_newest_figure_not_no_figures(client_for, member, conversations):
    text = html.unescape(client_for(member).get(reverse("plans:report"), {"halvaar": "2024H2"}).text)
    row = text.split('<span class="goal-code">1.1</span>')[1].split("</tr>")[0]
    assert "2.320" in row and "forældet" in row and "Der er ingen tal endnu" not in row
    assert "Nyeste tal er for 2. halvår 2020 - 1. halvår 2021" in row


def test_half_year_report_exports_xlsx(client_for, member, conversations):
    response = client_for(member).get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:5] == ("Område", "Kode", "Mål", "Indikator", "Status")
    assert len(rows) == 1 + Indicator.objects.count()
    row = next(r for r in rows if r[1] == "1.2")
    assert (row[4], row[5], row[6], row[8]) == ("På sporet", "2. halvår 2024", 82.4, 80)


def test_report_refuses_an_unknown_half_year_without_error(client_for, member):
    response = client_for(member).get(reverse("plans:report"), {"halvaar": "1999H1"})
    assert response.status_code == 200
    assert "1999H1 er ikke en af de tilgængelige" in response.text


def test_benchmark_shows_the_ministers_table_and_chart(client_for, member):
    response = client_for(member).get(reverse("plans:benchmark"))
    text = response.text
    assert "2. halvår 2020 - 1. halvår 2021" in text
    for value in ("2.380", "2.320", "-60", "1.000"):
        assert value in text
    assert "4,9 mio. kr. mindre" in text
    figure = json.loads(text.split('id="benchmark-figur" type="application/json">')[1].split("</script>")[0])
    assert figure["data"][0]["y"] == [600, 810, 970, 2380]
    assert figure["data"][1]["y"] == [580, 740, 1000, 2320]


def test_chart_specs_are_valid_plotly_figures():
    import plotly.graph_objects as go

    from events.fairs.services import charts as fair_charts
    from events.fairs.services.figures import FairFigures
    from events.project.services import progress as project_progress
    from investments.models import Strategy
    from investments.services import charts as investment_charts
    from investments.services import summary
    from plans.services import charts
    from portal.charts import PERCENT

    figure = charts.series_figure(
        ["2024H1", "2024H2"],
        [Decimal(1), Decimal(2)],
        [Decimal(1), None],
        [Decimal(3), Decimal(3)],
        area="Norddjurs",
        comparison_label="Hele landet",
        unit=PERCENT,
    )
    specs = [figure, charts.benchmark_figure(["A"], [1], [2])]
    overview = summary.overview(Strategy.objects.get())
    specs += [investment_charts.net_effect_figure(overview), investment_charts.realised_figure(overview.proposals[0])]
    specs.append(
        project_progress.progress_figure(
            [
                type(
                    "R",
                    (),
                    {"quarter": "2025Q2", "joint_conversations": 3, "offers_started": 1, "in_job_or_education": 1},
                )()
            ],
            120,
        )
    )
    specs.append(fair_charts.signups_figure([FairFigures(fair=type("F", (), {"venue": "Grenaa Bibliotek"})())], 30, 40))
    for spec in specs:
        go.Figure(
            {"data": spec["data"], "layout": spec["layout"]}
        )  # raises ValueError on any property plotly does not know
        axis = spec["layout"]["yaxis"]
        assert (
            axis["title"]["text"] and axis["automargin"] and axis["tickformat"] == ",~f"
        )  # a unit, never cut, no "40k"
    # The target is drawn last (on top), dashed with markers, so it shows where it equals another line.
    target = figure["data"][-1]
    assert target["name"] == "Mål" and target["mode"] == "lines+markers" and target["line"]["dash"] == "dash"


def test_report_keeps_the_whole_series_for_a_trajectory_target(client_for, member):
    """6.6 (90 % in 2030) measures against a line from the series' first value, however old it is."""
    indicator = Indicator.objects.get(goal__major=6, goal__minor=6)
    add(indicator, "2016", "74")
    add(indicator, "2024", "85")
    response = client_for(member).get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "xlsx"})
    row = next(r for r in load_workbook(io.BytesIO(response.content)).active.values if r[1] == "6.6")
    assert row[6] == 85
    assert round(row[8], 2) == 83.14  # the line from 2016: 74 + (90 - 74) * 8/14; a 2-year window would give 85


def test_report_xlsx_headers_follow_the_language(client, conversations):
    from django.contrib.auth.models import Group, User

    from portal.roles import Role

    user = User.objects.create_user("member-en", password="x")
    user.groups.add(Group.objects.get(name=Role.MEMBER.group_name))
    client.force_login(user)
    response = client.get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "xlsx"})
    assert next(load_workbook(io.BytesIO(response.content)).active.values)[:3] == ("Område", "Kode", "Mål")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert next(workbook.active.values)[:6] == ("Area", "Code", "Goal", "Indicator", "Status", "Latest period")
    assert workbook.active.title == "Goal follow-up H2 2024"  # the period, too, in the reader's language
