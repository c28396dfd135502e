"""The demo data set (portal.demo; the apps' parts in plans.services.demo and events.fairs.services.demo)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import CitizenSignup, Fair
from plans.evaluation import Status
from plans.models import (
    BenchmarkPeriod,
    BenchmarkRank,
    BenchmarkResult,
    DataImport,
    Goal,
    Indicator,
    Observation,
    ObservationChange,
    Plan,
    StatusChange,
)
from plans.services import demo as plans_demo
from plans.services import observations
from portal import demo
from portal.models import DemoData
from tests.support.plan_data import add, data_import

pytestmark = pytest.mark.django_db

BANNER = "Demodata – ikke rigtige tal"


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def indicators_in_force(today):
    return Indicator.objects.filter(goal__plan=Plan.objects.in_force(today)).select_related("goal")


def counts() -> dict[str, int]:
    models = [
        Observation,
        ObservationChange,
        DataImport,
        BenchmarkPeriod,
        BenchmarkResult,
        BenchmarkRank,
        StatusChange,
        Fair,
        CitizenSignup,
        DemoData,
    ]
    return {
        **{model.__name__: model.objects.count() for model in models},
        "indicator history": Indicator.history.count(),
    }


@pytest.mark.parametrize("today", [date(2025, 1, 2), date(2026, 5, 14), date(2027, 12, 31), date(2031, 7, 1)])
def test_demo_data_gives_every_indicator_of_the_plan_in_force_a_status_in_a_mix(debug, today):
    demo.load(today)
    statuses = {i.goal.code + f"/{i.position}": i.status for i in indicators_in_force(today)}
    assert len(statuses) == 24
    assert Status.MISSING_DATA not in statuses.values(), statuses
    assert set(statuses.values()) == {Status.ON_TRACK, Status.AT_RISK, Status.NOT_MET}


def test_demo_figures_end_with_the_last_complete_quarter_before_today(debug):
    demo.load(date(2026, 5, 14))  # the last complete quarter is 2026Q1
    newest = {
        goal.code: Observation.objects.filter(indicator__goal=goal).order_by("-period_end").first().period_code
        for goal in Goal.objects.filter(major__in=[1, 2])
    }
    assert newest == {"1.1": "2025QMAT04", "1.2": "2025H2", "1.3": "2025H2", "2.1": "2026Q1", "2.2": "2025"}
    record = plans_demo.demo_import()
    assert not Observation.objects.filter(data_import=record, period_end__gt=date(2026, 3, 31)).exists()
    monthly = Indicator.objects.get(goal__major=6, goal__minor=1, position=2)
    assert monthly.observations.order_by("-period_end").first().period_code == "2026M03"


def test_overview_shows_no_missing_data_after_load(debug, client_for, member):
    demo.load()
    page = client_for(member).get(reverse("plans:goal_list")).content.decode()
    # Each status is a badge; the legend shows "Mangler data" once, inside a <dt>.
    badges = page.count("status status--missing-data")
    assert badges == page.count('<dt><span class="status status--missing-data')
    assert page.count("status status--on-track") > page.count("status status--not-met") > 1


def test_benchmark_page_ranks_all_98_municipalities(debug, client_for, member):
    demo.load()
    page = client_for(member).get(reverse("plans:benchmark")).content.decode()
    newest = BenchmarkPeriod.objects.first()
    assert newest.code.startswith(plans_demo.DEMO_CODE)
    assert BenchmarkRank.objects.filter(period=newest, benefit_group="Ydelsesgrupper i alt").count() == 98
    mine = BenchmarkResult.objects.get(period=newest, benefit_group="Ydelsesgrupper i alt")
    assert f"nr. {mine.rank} af 98" in page


@pytest.mark.parametrize("page", ["start", "plans:goal_list", "plans:benchmark", "events:fair_list", "login"])
def test_banner_shows_while_demo_data_is_loaded_and_not_after_removal(debug, client, member, page):
    if page != "login":
        client.force_login(member)
    url = reverse(page)
    assert BANNER not in client.get(url).content.decode()
    demo.load()
    assert f'<p class="demo-banner" role="status">{BANNER}</p>' in client.get(url).content.decode()
    demo.remove()
    assert BANNER not in client.get(url).content.decode()


def test_banner_check_reads_the_cache_not_the_database(debug):
    assert demo.is_loaded() is False  # from the database, once
    with CaptureQueriesContext(connection) as captured:
        assert demo.is_loaded() is False
    assert len(captured) == 0
    demo.load()
    with CaptureQueriesContext(connection) as captured:
        assert demo.is_loaded() is True
    assert len(captured) == 0


def test_loading_twice_changes_nothing(debug):
    today = date(2026, 12, 7)
    demo.load(today)
    once = counts()
    demo.load(today)
    assert counts() == once


def test_load_never_replaces_a_figure_that_is_there(debug, administrator):
    today = date(2026, 12, 7)
    indicator = Indicator.objects.get(goal__major=2, goal__minor=1)
    real = add(indicator, "2026Q3", 3, data_import=data_import("rigtige-tal.xlsx", administrator))
    demo.load(today)
    real.refresh_from_db()
    assert (real.value, real.data_import.original_name) == (Decimal(3), "rigtige-tal.xlsx")
    seeded = Observation.objects.get(period_code="2021QMAT02")
    assert (seeded.value, seeded.comparison, seeded.data_import) == (Decimal(2320), Decimal(2380), None)


def test_removal_deletes_exactly_the_demo_data(debug, administrator):
    today = date(2026, 12, 7)
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    real = add(indicator, "2019H1", "31.5", data_import=data_import("rigtige-tal.xlsx", administrator))
    before = counts()
    seed_fairs = list(Fair.objects.values_list("pk", "venue", "date"))
    demo.load(today)
    assert Indicator.objects.get(goal__major=2, goal__minor=1).threshold == Decimal(8)
    demo.remove(today)
    demo.remove(today)  # nothing left to remove: no error
    after = counts()
    # Removal writes history of its own: the statuses back to "Mangler data" and 2.1's threshold emptied again.
    assert {k: v for k, v in after.items() if k not in ("StatusChange", "indicator history")} == {
        k: v for k, v in before.items() if k not in ("StatusChange", "indicator history")
    }
    real.refresh_from_db()
    assert (real.value, real.data_import.original_name) == (Decimal("31.5"), "rigtige-tal.xlsx")
    assert Observation.objects.filter(period_code="2021QMAT02", value=2320).exists()
    assert list(BenchmarkPeriod.objects.values_list("code", flat=True)) == ["2021QMAT02"]
    assert list(Fair.objects.values_list("pk", "venue", "date")) == seed_fairs
    assert Indicator.objects.get(goal__major=2, goal__minor=1).threshold is None
    assert set(indicators_in_force(today).values_list("status", flat=True)) == {Status.MISSING_DATA}


def test_removal_keeps_a_demo_figure_an_administrator_corrected_but_not_the_demo_value(debug, administrator):
    today = date(2026, 12, 7)
    demo.load(today)
    corrected = Observation.objects.get(indicator__goal__major=6, indicator__goal__minor=12, period_code="2026H1")
    corrected.value = Decimal(120)
    observations.save_by_hand(corrected, administrator)
    demo.remove(today)
    corrected.refresh_from_db()
    assert corrected.value == Decimal(120)
    assert not corrected.changes.exists()  # the replaced value was the demo's


def test_removal_keeps_a_threshold_an_administrator_set_since(debug):
    today = date(2026, 12, 7)
    demo.load(today)
    indicator = Indicator.objects.get(goal__major=2, goal__minor=1)
    indicator.threshold = Decimal(6)
    indicator.save()
    demo.remove(today)
    indicator.refresh_from_db()
    assert indicator.threshold == Decimal(6)


def test_load_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data", verbosity=0)
    assert counts() == before


def test_commands_load_and_remove(debug):
    call_command("load_demo_data", verbosity=0)
    assert DemoData.objects.get().loaded_for == timezone.localdate()
    call_command("remove_demo_data", verbosity=0)
    assert not DemoData.objects.exists()
    assert not Observation.objects.filter(source_note=plans_demo.DEMO_NAME).exists()


def test_demo_fair_accepts_a_sign_up(debug, client_for, caseworker):
    demo.load()
    fair = Fair.objects.get(venue__endswith="(demomesse)")
    assert fair.date > timezone.localdate()
    assert fair.signups.filter(status=CitizenSignup.Status.CONFIRMED).count() == 5
    client = client_for(caseworker)
    form = client.get(reverse("events:signups", args=[fair.pk])).context["form"]
    response = client.post(
        reverse("events:signups", args=[fair.pk]),
        {
            "name": "Ny Demoborger",
            "benefit_group": "ledighedsydelse",
            "fairs": [fair.pk],
            "submission_key": form.initial["submission_key"],
        },
    )
    assert response.status_code == 302
    assert fair.signups.get(name="Ny Demoborger").status == CitizenSignup.Status.CONFIRMED


def test_import_pages_show_the_demo_data_as_one_finished_import(debug, client_for, administrator):
    demo.load()
    record = plans_demo.demo_import()
    client = client_for(administrator)
    assert plans_demo.DEMO_NAME in client.get(reverse("imports:list")).content.decode()
    page = client.get(reverse("imports:detail", args=[record.pk]))
    assert page.status_code == 200
    assert record.state == DataImport.State.DONE
    assert record.rows_imported == Observation.objects.filter(data_import=record).count() > 0
