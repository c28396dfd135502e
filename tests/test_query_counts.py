"""Every page's number of SQL queries, in one module: pinned, or shown not to grow with the data.

A test either pins a page's count, with a comment naming each query, or grows the page's data and
asserts that the count stays the same. Sections per app: portal, plans, imports, events, investments.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.fairs.services import signups
from events.models import Association, CitizenSignup, Fair, FairSeries, Meeting
from investments.models import Realisation, Strategy, YearlyFigure
from investments.services import summary
from plans.imports import routes
from plans.models import (
    BenefitFigure,
    DataImport,
    ExtractMapping,
    Goal,
    Indicator,
    Observation,
    TableMetadata,
    WheelEvent,
)
from plans.services import plan_copy
from portal import demo
from portal.auth import ModelBackend
from portal.digest import service as digest
from tests.support.budget_data import add_budgets
from tests.support.budget_data import fill_figures as fill_benefit_figures
from tests.support.digest_data import make_news
from tests.support.event_data import coming_fair
from tests.support.plan_data import add, data_import, fill_observations, import_national

pytestmark = pytest.mark.django_db


def count_queries(client, url, params=None) -> int:
    """The number of queries the page runs as it does most of the time: the session, the logged-in user
    (with their role) and whether demo data is loaded read from the cache (tests/portal/test_auth.py shows
    the first request's two more; tests/portal/test_demo_data.py the demo flag's one). The page must answer 200."""
    ModelBackend().get_user(client.session[SESSION_KEY])  # force_login's save of last_login emptied the entry
    demo.is_loaded()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.fixture
def fair():
    return coming_fair(capacity=None, days=5)


def grow_lists(fair, caseworker, administrator, n):
    """More of what the list pages show: sign-ups, associations, imports, mappings, figures."""
    for i in range(n):
        CitizenSignup.objects.create(
            fair=fair, name=f"Borger {i}", benefit_group="anden", status="tilmeldt", registered_by=caseworker
        )
        association = Association.objects.create(
            series=fair.series, name=f"Forening {i} {fair.signups.count()}", status="tilmeldt"
        )
        association.fairs.add(fair)
        record = DataImport(original_name=f"{i}.csv", checksum=str(i), size=1, uploaded_by=administrator)
        record.file.save(f"{i}.csv", ContentFile(b"x"), save=True)
        indicator = Indicator.objects.all()[i % 20]
        ExtractMapping.objects.create(indicator=indicator, measure=f"Måling {i} {ExtractMapping.objects.count()}")
        observation = Observation(
            indicator=indicator, area="Norddjurs", period_code=str(1990 + Observation.objects.count()), value=Decimal(i)
        )
        observation.full_clean()
        observation.save()
        figure = YearlyFigure.objects.get(proposal__number=1 + i % 5, year=2020 + i % 4)
        figure.savings = Decimal(-i)
        figure.save()


def assert_list_does_not_grow(client, url, fair, caseworker, administrator):
    grow_lists(fair, caseworker, administrator, 2)
    few = count_queries(client, url)
    grow_lists(fair, caseworker, administrator, 10)
    assert count_queries(client, url) == few


# --- portal ----------------------------------------------------------------------------------------------------


def test_start_page_query_count_is_constant(client_for, member):
    # next and latest fair and meeting, plan, goals with status (6); "Nyt siden sidst" (portal.digest): the
    # user's date (1), plans' status changes, figures, imports, remarks, collection deadlines (5), investments'
    # realisations (1), and the årshjul's calendar for each year the coming 30 days touch (7 a year: plans' fixed
    # events, adoptions, Jobindsats releases; events' fairs, fair deadlines, meetings; investments' pool rounds)
    years = len({timezone.localdate().year, (timezone.localdate() + timedelta(days=digest.DEADLINE_DAYS)).year})
    assert count_queries(client_for(member), reverse("start")) == 6 + 7 + 7 * years


@pytest.mark.parametrize("role", ["member", "administrator"])
def test_start_page_query_count_does_not_grow_with_news(client_for, administrator, request, role):
    client = client_for(request.getfixturevalue(role))
    make_news(administrator, 1)
    few = count_queries(client, reverse("start"))
    make_news(administrator, 8, offset=1)
    assert count_queries(client, reverse("start")) == few


@pytest.mark.parametrize("name", ["audit_list", "user_list"])
def test_audit_and_user_lists_query_count_does_not_grow(client_for, caseworker, administrator, fair, name):
    assert_list_does_not_grow(client_for(administrator), reverse(name), fair, caseworker, administrator)


def test_user_list_query_count_does_not_grow_with_users(client_for, administrator):
    client = client_for(administrator)
    url = reverse("user_list")
    few = count_queries(client, url)
    for i in range(10):
        client.post(
            reverse("user_new"),
            {
                "username": f"bruger{i}",
                "first_name": "Mette",
                "last_name": "Holm",
                "email": f"b{i}@norddjurs.dk",
                "role": "Sagsbehandler",
                "send_link": "",
            },
        )
    assert User.objects.filter(username__startswith="bruger").count() == 10
    assert count_queries(client, url) == few


# --- plans -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # plan, minister goals, goals, indicators, newest observations, observations, the owners for the filter
        (reverse("plans:goal_list"), 7),
        # plan, half-years with figures, minister goals, goals, indicators, newest observations (as the
        # overview: an old newest figure still shows), observations, comments
        (reverse("plans:report") + "?halvaar=2024H2", 8),
        # periods, comparison groups, results, the ranking, the area's places over time,
        # the size of each period's list (test_benchmark_query_count_does_not_grow_with_the_ranking below
        # pins the page with a comparison group)
        (reverse("plans:benchmark"), 6),
        # goal, indicators, observations, mappings, imports, announced updates, comments,
        # status history, the pool's grants that support the goal (portal.registry.goal_links)
        (reverse("plans:goal_detail", args=[2024, 6, 1]), 9),
    ],
)
def test_dashboard_query_count_does_not_grow_with_data(client_for, member, url, expected):
    client = client_for(member)
    fill_observations(2)
    assert count_queries(client, url) == expected
    Observation.objects.all().delete()
    fill_observations(36)
    assert Observation.objects.count() > 2000
    assert count_queries(client, url) == expected


@pytest.mark.parametrize("with_group", [False, True])
def test_benchmark_query_count_does_not_grow_with_the_ranking(client_for, member, east_jutland, with_group):
    client = client_for(member)
    url = reverse("plans:benchmark")
    params = {"gruppe": east_jutland.pk} if with_group else {}
    few = count_queries(client, url, params)
    import_national()
    assert count_queries(client, url, params) == few
    # periods, groups, results, ranking, places over time, list sizes (+ the group's places)
    assert few == (7 if with_group else 6)


@pytest.mark.parametrize("persona", ["member", "administrator"])  # from the page cache's miss, and uncached
def test_budget_query_count_does_not_grow_with_figures(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    url, params = reverse("budget:overview"), {"aar": 2026, "opfoelgning": "juni"}
    fill_benefit_figures(2026, 5)
    add_budgets(2026)
    few, rows = count_queries(client, url, params), BenefitFigure.objects.count()
    # 10x the figures: nine more areas, and the three years before the page's three
    BenefitFigure.objects.all().delete()
    fill_benefit_figures(2026, 5, areas=10)
    fill_benefit_figures(2023, 12, areas=10)
    assert BenefitFigure.objects.count() > 10 * rows
    assert count_queries(client, url, params) == few
    assert few == 3  # the years with figures, every budget, the figures of the three years


def grow_plans(plan, n):
    """More fixed events, fairs, meetings, announced table updates, and goals with an indicator in the plan."""
    series = FairSeries.objects.get()
    project = Meeting.objects.first().project
    for i in range(n):
        WheelEvent.objects.create(title=f"Fast {i} {WheelEvent.objects.count()}", month=1 + i % 12)
        start = date(2025, 1, 1) + timedelta(days=WheelEvent.objects.count() * 3)
        Fair.objects.create(series=series, venue=f"Bibliotek {WheelEvent.objects.count()}", date=start)
        Meeting.objects.create(project=project, date=start + timedelta(days=1))
        TableMetadata.objects.create(table=f"T{WheelEvent.objects.count()}", next_update=start)
        goal = Goal.objects.create(
            plan=plan,
            major=50 + Goal.objects.filter(plan=plan).count(),
            minor=1,
            kind="lokalt",
            title="x",
            metric="m",
            target_text="t",
            follow_up_text="f",
            source="jobindsats",
            frequency="aarlig",
        )
        Indicator.objects.create(goal=goal, name="i", unit="antal", rule="stigning")


@pytest.mark.parametrize(
    ("persona", "name", "args", "params"),
    [
        ("member", "plans:wheel", [], {"aar": 2025}),
        ("administrator", "plans:plan_list", [], {}),
        ("administrator", "plans:plan_detail", [2025], {}),
        ("member", "plans:goal_list", [], {"plan": 2024}),
    ],
)
def test_plan_and_wheel_pages_query_count_does_not_grow(request, client_for, plan_2024, persona, name, args, params):
    plan = plan_copy.copy_plan(plan_2024, 2025)
    plan_copy.adopt(plan, date(2025, 10, 28), "AMU")
    client = client_for(request.getfixturevalue(persona))
    url = reverse(name, args=args)
    grow_plans(plan, 2)
    few = count_queries(client, url, params)
    grow_plans(plan, 6)
    assert count_queries(client, url, params) == few


# --- imports ---------------------------------------------------------------------------------------------------


def test_describe_reads_all_routes_in_three_queries(django_assert_num_queries, administrator):
    indicators = list(Indicator.objects.select_related("goal"))
    for i, indicator in enumerate(indicators[:10]):
        add(indicator, "2024H1", "1", data_import=data_import(f"{i}.csv", administrator))
        ExtractMapping.objects.create(indicator=indicator, table="Y01A02", measure=f"Måling {i}", confidence="udledt")
    with django_assert_num_queries(3):  # mappings, newest figures and imports, announced updates
        described = routes.describe(indicators)
    assert set(described) == {i.id for i in indicators}
    route = described[indicators[0].id]
    assert route.kind == routes.JOBINDSATS and "Y01A02" in route.tables and route.last_import.name == "0.csv"


def grow_routes(administrator, n: int, start: int):
    """Old and new figures, imports and mappings for every indicator."""
    for i in range(start, start + n):
        record = data_import(f"udtraek-{i}.csv", administrator)
        for indicator in Indicator.objects.all():
            add(
                indicator, str(1990 + i), "5", comparison="6", data_import=record
            )  # old figures, before the trend's window
            ExtractMapping.objects.create(indicator=indicator, table=f"T{i}", measure=f"Måling {i}")


@pytest.mark.parametrize(
    "url", [reverse("plans:goal_list"), reverse("plans:goal_detail", args=[2024, 1, 1]), reverse("plans:report")]
)
def test_dashboard_query_count_does_not_grow_with_routes_imports_and_old_figures(client_for, administrator, url):
    client = client_for(administrator)
    grow_routes(administrator, 1, 0)
    few = count_queries(client, url)
    grow_routes(administrator, 6, 1)
    assert count_queries(client, url) == few


@pytest.mark.parametrize("name", ["imports:list", "imports:mappings"])
def test_import_pages_query_count_does_not_grow(client_for, caseworker, administrator, fair, name):
    assert_list_does_not_grow(client_for(administrator), reverse(name), fair, caseworker, administrator)


# --- collection round (plans.collection) ----------------------------------------------------------------------


def grow_collection(round_, owner, n: int):
    """More items in the round (other periods of every indicator), all owned by `owner`, some received."""
    from plans.models import CollectionItem, DataOwner

    for indicator in Indicator.objects.all():
        DataOwner.objects.get_or_create(indicator=indicator, defaults={"user": owner})
    existing = CollectionItem.objects.filter(round=round_).count()
    for i in range(existing, existing + n):
        for indicator in Indicator.objects.all()[:8]:
            CollectionItem.objects.create(
                round=round_, indicator=indicator, period_code=f"{2000 + i}H1", due_on=date(2000 + i, 8, 1)
            )
            add(indicator, f"{2000 + i}H1", "5")


@pytest.mark.parametrize(
    ("persona", "name"),
    [("administrator", "collection:board"), ("data_owner", "collection:figures"), ("data_owner", "collection:mine")],
)
def test_collection_board_and_owner_pages_query_counts_do_not_grow(request, client_for, administrator, persona, name):
    from plans.models import CollectionRound

    owner = request.getfixturevalue("data_owner")
    round_ = CollectionRound.objects.create(period_code="2024H2", started_by=administrator)
    client = client_for(request.getfixturevalue(persona))
    url = reverse(name, args=[round_.pk] if name == "collection:figures" else [])
    grow_collection(round_, owner, 1)
    few = count_queries(client, url)
    grow_collection(round_, owner, 5)
    assert count_queries(client, url) == few


def test_collection_owner_page_query_count_is_pinned(client_for, administrator, data_owner):
    from plans.models import CollectionRound

    round_ = CollectionRound.objects.create(period_code="2024H2", started_by=administrator)
    grow_collection(round_, data_owner, 2)
    # The round; its items with indicator, goal, plan and owner (received as EXISTS); their figures and last
    # period's, in one query. The session and the user come from the cache.
    assert count_queries(client_for(data_owner), reverse("collection:figures", args=[round_.pk])) == 3


# --- events ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (reverse("events:fair_list"), 5),  # series, fairs, programme, sign-up and association aggregates
        (reverse("events:project"), 6),  # project, partners, seats, meetings, documents, progress
    ],
)
def test_fair_list_and_project_query_count_is_constant(client_for, member, url, queries):
    assert count_queries(client_for(member), url) == queries


@pytest.mark.parametrize(
    ("name", "per_fair"),
    [
        ("events:signups", True),
        ("events:checkin", True),
        ("events:participants", True),
        ("events:exhibitors", True),
        ("events:associations", False),
    ],
)
def test_caseworker_fair_pages_query_count_does_not_grow(client_for, caseworker, administrator, fair, name, per_fair):
    url = reverse(name, args=[fair.pk] if per_fair else [])
    assert_list_does_not_grow(client_for(caseworker), url, fair, caseworker, administrator)


@pytest.fixture
def fair_with_two_seats():
    return coming_fair(capacity=2)


def test_fair_pages_query_count_does_not_grow(client_for, member, caseworker, fair_with_two_seats):
    fair = fair_with_two_seats
    client = client_for(member)
    urls = [reverse("events:fair_list"), reverse("events:fair_detail", args=[fair.pk])]
    before = [count_queries(client, u) for u in urls]
    fair.capacity = None
    fair.save()
    for n in range(30):
        signups.register(
            [fair], {"name": f"Borger {n}", "benefit_group": ["anden", "foertidspension"][n % 2]}, caseworker
        )
    client.force_login(member)
    assert [count_queries(client, u) for u in urls] == before


# --- investments -----------------------------------------------------------------------------------------------


def test_investment_overview_query_count_is_constant(client_for, member):
    # strategy, proposals, figures, realisations per year, this year's pool with its granted sum, the next deadline
    assert count_queries(client_for(member), reverse("investments:overview")) == 6


@pytest.mark.parametrize(
    "url",
    [reverse("investments:overview"), reverse("investments:budget"), reverse("investments:proposal_detail", args=[2])],
)
def test_investment_pages_query_count_does_not_grow(client_for, member, administrator, url):
    client = client_for(member)
    few = count_queries(client, url)
    proposal = summary.overview(Strategy.objects.get()).proposals[1].proposal
    for month in range(1, 13):
        for year in (2020, 2021, 2022):
            Realisation.objects.create(
                proposal=proposal, month=date(year, month, 1), amount=Decimal("-0.010"), entered_by=administrator
            )
    response = client_for(administrator).post(
        reverse("investments:figure_save", args=[1]), {"year": "2020", "investment": "3,079", "savings": "-2,8"}
    )
    assert response.status_code == 302
    client.force_login(member)
    assert count_queries(client, url) == few


def test_pool_public_form_query_count_is_constant(client):
    # no session or user (no login): the round open today, the round before it (the opening day), the plan in
    # force and its goals (portal.registry.plan_goals)
    demo.is_loaded()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("pool_public:apply")).status_code == 200
    assert len(captured) == 4, [q["sql"] for q in captured]
