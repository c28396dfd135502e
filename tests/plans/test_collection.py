"""The collection round for local figures (plans.collection): owners, rounds, due dates, the owner's form,
the board, reminders and the data owner's role."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook

from plans.collection.services import figures, notices, ownership, rounds
from plans.evaluation import Status
from plans.models import (
    CollectionItem,
    CollectionRound,
    DataImport,
    DataOwner,
    ExtractMapping,
    Indicator,
    Observation,
    ObservationChange,
    OwnerReminder,
    WheelEvent,
)
from portal.periods import half_year_of, parse_period
from portal.roles import DATA_OWNER_GROUP, Role, is_data_owner, parse_group_roles, role_of
from tests.support.plan_data import add

pytestmark = pytest.mark.django_db


def indicator(code: str, position: int = 1) -> Indicator:
    major, minor = code.split(".")
    return Indicator.objects.select_related("goal").get(goal__major=major, goal__minor=minor, position=position)


def last_half(today=None):
    """The newest half-year that has ended: its figures are fresh enough to give a status."""
    return figures.previous(half_year_of(today or timezone.localdate()))


@pytest.fixture
def owned(data_owner):
    """The data owner owns 6.3 (a share, at least 35 %) and 6.13 (a count); 6.5 belongs to nobody."""
    for code in ("6.3", "6.13"):
        DataOwner.objects.create(indicator=indicator(code), user=data_owner)
    return data_owner


@pytest.fixture
def started(owned, administrator, django_capture_on_commit_callbacks, client_for):
    """A round for the last half-year, started on the board (the invitations go out on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(reverse("collection:round_start"), {"period": last_half().code})
    assert response.status_code == 302
    return CollectionRound.objects.get(period_code=last_half().code)


def figure_field(round_, code, name="value"):
    item = CollectionItem.objects.get(round=round_, indicator=indicator(code))
    return f"{name}_{item.pk}"


# --- who owes what, and when ----------------------------------------------------------------------


def test_local_indicators_are_those_without_an_active_route(plan_2024):
    local = set(ownership.local_indicators(plan_2024))
    routed = {m.indicator for m in ExtractMapping.objects.filter(active=True)}
    assert local and not local & routed
    assert indicator("6.3") in local
    assert local | routed == set(Indicator.objects.filter(goal__plan=plan_2024))


def test_half_year_round_asks_a_quarterly_goal_for_both_quarters_and_a_yearly_goal_only_in_h2():
    half = parse_period("2026H1")
    assert [p.code for p in rounds.periods_within(half, "kvartalsvis")] == ["2026Q1", "2026Q2"]
    assert [p.code for p in rounds.periods_within(half, "halvaarlig")] == ["2026H1"]
    assert rounds.periods_within(half, "aarlig") == []
    assert [p.code for p in rounds.periods_within(parse_period("2026H2"), "aarlig")] == ["2026"]
    assert [p.code for p in rounds.periods_within(parse_period("2026Q3"), "kvartalsvis")] == ["2026Q3"]
    assert rounds.periods_within(parse_period("2026Q2"), "halvaarlig") == []


def test_due_date_is_the_wheels_half_year_follow_up_for_a_period_that_closes_the_half_year():
    WheelEvent.objects.create(title="Halvårsopfølgning i udvalget", kind=WheelEvent.Kind.FOLLOW_UP, month=9, day=2)
    follow_ups = rounds.follow_up_days([2026, 2027])
    assert rounds.due_date(parse_period("2026H1"), follow_ups) == date(2026, 9, 2)
    assert rounds.due_date(parse_period("2026Q2"), follow_ups) == date(2026, 9, 2)
    # A quarter inside the half-year is due a month after it ends (the goal's own frequency).
    assert rounds.due_date(parse_period("2026Q1"), follow_ups) == date(2026, 3, 31) + timedelta(days=30)


def test_due_date_without_a_follow_up_in_the_wheel_is_thirty_days_after_the_period():
    assert rounds.due_date(parse_period("2026H1"), []) == date(2026, 7, 30)


def test_starting_a_round_mails_each_owner_a_danish_link_to_their_page(started, data_owner):
    items = CollectionItem.objects.filter(round=started)
    asked = {
        i
        for i in ownership.local_indicators(started_plan(started))
        if rounds.periods_within(started.period, i.goal.frequency)
    }
    assert {i.indicator for i in items} == asked and indicator("6.3") in asked
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dataansvarlig@norddjurs.dk"]
    assert message.subject == f"Indsamling af lokale tal: {started.period.label}"
    assert "Du er dataansvarlig for disse tal" in message.body
    assert "6.3 Andel af ungdomsårgangen" in message.body and "6.5 " not in message.body
    assert f"http://testserver/indsamling/{started.pk}/" in message.body
    assert OwnerReminder.objects.get(user=data_owner).last_sent_on == timezone.localdate()


def started_plan(round_):
    return CollectionItem.objects.filter(round=round_).first().indicator.goal.plan


def test_starting_the_same_round_twice_keeps_one_round_and_sends_no_second_mail(started, administrator, client_for):
    count = CollectionItem.objects.filter(round=started).count()
    response = client_for(administrator).post(
        reverse("collection:round_start"), {"period": started.period_code}, follow=True
    )
    assert "Der er allerede en indsamling" in response.text
    assert CollectionRound.objects.count() == 1 and CollectionItem.objects.count() == count
    assert len(mail.outbox) == 1


# --- the owner's page ------------------------------------------------------------------------------


def test_owner_page_lists_only_their_indicators_with_unit_range_and_last_figure(started, data_owner, client_for):
    previous = figures.previous(started.period)
    add(indicator("6.3"), previous.code, "33.5")
    page = client_for(data_owner).get(reverse("collection:figures", args=[started.pk])).text
    assert "6.3 Andel af ungdomsårgangen" in page and "6.13 Antal ansatte elever" in page
    assert "6.5 " not in page
    assert "Tilladte værdier: 0 til 100 %" in page and "Tilladte værdier: 0 eller derover" in page
    assert f"Sidste periode ({previous.label}): 33,5" in page


def test_owner_page_links_each_goal_page_and_the_owner_may_open_it(started, data_owner, client_for):
    owner = client_for(data_owner)
    page = owner.get(reverse("collection:figures", args=[started.pk])).text
    goal = indicator("6.3").goal
    url = reverse("plans:goal_detail", args=[goal.plan.year, goal.major, goal.minor])
    assert f'href="{url}"' in page
    assert owner.get(url).status_code == 200


def test_entering_one_figure_changes_the_goals_status_on_the_overview_at_once(
    started, data_owner, member, client, client_for
):
    client.force_login(member)
    client.get(reverse("start"))  # shows (and so clears) the administrator's message left in the test client
    assert goal_status(client.get(reverse("plans:goal_list")).text, "6.3") == "Mangler data"
    assert client.get(reverse("plans:goal_list"))["X-Page-Cache"] == "hit"  # the member's page is cached

    owner = client_for(data_owner)
    response = owner.post(
        reverse("collection:figures", args=[started.pk]), {figure_field(started, "6.3"): "41,2"}, follow=True
    )
    assert "1 tal er gemt, og målenes status er opdateret." in response.text

    client.force_login(member)
    assert goal_status(client.get(reverse("plans:goal_list")).text, "6.3") == "På sporet"
    observation = Observation.objects.get(indicator=indicator("6.3"), period_code=started.period_code)
    assert observation.value == Decimal("41.2") and observation.entered_by == data_owner


def goal_status(html: str, code: str) -> str:
    after = html.split(f'<span class="goal-code">{code}</span>', 1)[1]
    return re.search(r'<span class="status status--[a-z-]+">([^<]+)</span>', after).group(1)


def test_a_share_over_100_is_refused_with_the_rule_the_import_uses(started, data_owner, client_for):
    response = client_for(data_owner).post(
        reverse("collection:figures", args=[started.pk]), {figure_field(started, "6.3"): "120"}
    )
    assert response.status_code == 200
    assert "En andel skal ligge mellem 0 og 100 %." in response.text
    assert not Observation.objects.filter(indicator=indicator("6.3"), period_code=started.period_code).exists()


def test_a_negative_count_is_refused(started, data_owner, client_for):
    response = client_for(data_owner).post(
        reverse("collection:figures", args=[started.pk]), {figure_field(started, "6.13"): "-3"}
    )
    assert "Et antal kan ikke være negativt." in response.text


def test_the_same_figures_sent_twice_make_one_observation_and_no_history(started, data_owner, client_for):
    owner = client_for(data_owner)
    data = {
        figure_field(started, "6.13"): "57",
        figure_field(started, "6.13", "source"): "Lønsystemet (Silkeborg Data)",
        figure_field(started, "6.13", "comment"): "Opgjort 1. juli.",
    }
    for _ in range(2):
        assert owner.post(reverse("collection:figures", args=[started.pk]), data).status_code == 302
    observation = Observation.objects.get(indicator=indicator("6.13"), period_code=started.period_code)
    assert observation.source_note == "Lønsystemet (Silkeborg Data)"
    assert not ObservationChange.objects.filter(observation=observation).exists()
    item = CollectionItem.objects.get(round=started, indicator=indicator("6.13"))
    assert (item.comment, item.submitted_by) == ("Opgjort 1. juli.", data_owner)


def test_a_corrected_figure_keeps_the_old_value_in_the_history(started, data_owner, client_for):
    owner = client_for(data_owner)
    url, field = reverse("collection:figures", args=[started.pk]), figure_field(started, "6.13")
    owner.post(url, {field: "57"})
    owner.post(url, {field: "59"})
    observation = Observation.objects.get(indicator=indicator("6.13"), period_code=started.period_code)
    change = ObservationChange.objects.get(observation=observation)
    assert (observation.value, change.value, change.replaced_by) == (Decimal("59"), Decimal("57"), data_owner)


def test_a_stored_figure_is_shown_in_its_field_as_it_was_typed(started, data_owner, client_for):
    owner = client_for(data_owner)
    url = reverse("collection:figures", args=[started.pk])
    owner.post(url, {figure_field(started, "6.13"): "57", figure_field(started, "6.3"): "41,20"})
    page = owner.get(url).text
    assert f'name="{figure_field(started, "6.13")}" value="57"' in page  # not 57,000
    assert f'name="{figure_field(started, "6.3")}" value="41,2"' in page


def test_owner_uploads_their_template_and_it_goes_through_the_import(
    started, data_owner, client_for, eager_tasks, django_capture_on_commit_callbacks
):
    owner = client_for(data_owner)
    response = owner.get(reverse("collection:template", args=[started.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Tal"]
    keys = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert keys == {"6.3-1", "6.13-1"}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "6.3-1" and row[5].value == started.period_code:
            row[6].value = 38
    filled = io.BytesIO()
    workbook.save(filled)
    filled.name = "lokale-tal.xlsx"
    filled.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(reverse("collection:upload", args=[started.pk]), {"file": filled}, follow=True)
    assert "Skabelonen er modtaget" in response.text
    assert DataImport.objects.get().state == DataImport.State.DONE
    assert Observation.objects.get(indicator=indicator("6.3"), period_code=started.period_code).value == 38


def test_a_template_with_another_owners_indicator_is_refused(started, data_owner, client_for):
    from plans.imports.template import build

    content = build([indicator("6.5").goal], 2024, timezone.localdate())
    upload = io.BytesIO(content)
    upload.name = "skabelon.xlsx"
    response = client_for(data_owner).post(
        reverse("collection:upload", args=[started.pk]), {"file": upload}, follow=True
    )
    assert "du ikke er dataansvarlig for: 6.5-1" in response.text
    assert not DataImport.objects.exists()


# --- the board -------------------------------------------------------------------------------------


def test_board_shows_received_missing_overdue_and_who_owes_it(started, data_owner, administrator, client_for):
    add(indicator("6.3"), started.period_code, "40")
    CollectionItem.objects.filter(round=started, indicator=indicator("6.13")).update(due_on=date(2000, 1, 1))
    rows = {row.goal.code: row for row in rounds.board(started, timezone.localdate())}
    assert (rows["6.3"].received, rows["6.3"].missing, rows["6.3"].overdue) == (1, 0, 0)
    assert (rows["6.13"].received, rows["6.13"].missing, rows["6.13"].overdue) == (0, 1, 1)
    assert rows["6.13"].owing == [data_owner] and rows["6.5"].owing == [None]
    page = client_for(administrator).get(reverse("collection:board")).text
    assert "overskredet (frist 1. januar 2000)" in page and "ingen dataansvarlig" in page


def test_board_opens_on_a_round_without_a_starter(owned, administrator, client_for):
    # The demo's round has no starter, and a starter's deleted user leaves none (SET_NULL).
    round_, _created = rounds.start(last_half(), None, "http://testserver/")
    response = client_for(administrator).get(reverse("collection:board"))
    assert response.status_code == 200
    day = date_format(timezone.localtime(round_.started_at), "j. F Y")
    assert f"Startet {day}." in response.text


def test_administrator_assigns_data_owners_on_the_owners_page(data_owner, administrator, client_for):
    field = f"owner_{indicator('6.5').pk}"
    response = client_for(administrator).post(reverse("collection:owners"), {field: data_owner.pk})
    assert response.status_code == 302
    assert DataOwner.objects.get(indicator=indicator("6.5")).user == data_owner
    client_for(administrator).post(reverse("collection:owners"), {field: ""})
    assert not DataOwner.objects.filter(indicator=indicator("6.5")).exists()


# --- reminders -------------------------------------------------------------------------------------


def test_reminders_go_out_a_week_before_the_day_after_and_weekly_after_the_due_date():
    due = date(2026, 8, 1)
    days = [d for d in range(-10, 20) if notices.reminder_day(due, due + timedelta(days=d))]
    assert days == [-7, -1, 1, 8, 15]


def test_an_owner_is_reminded_at_most_once_a_day(started, data_owner):
    due = timezone.localdate() + timedelta(days=10)  # after the invitation, which counted as today's mail
    CollectionItem.objects.filter(round=started).update(due_on=due)
    mail.outbox.clear()
    reminder_day = due + timedelta(days=1)
    assert notices.remind(reminder_day) == 1
    assert notices.remind(reminder_day) == 0  # the beat task ran twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Påmindelse: lokale tal mangler"
    assert "Vi mangler stadig disse lokale tal fra dig" in message.body and "fristen var" in message.body
    assert notices.remind(reminder_day + timedelta(days=7)) == 1
    assert OwnerReminder.objects.get(user=data_owner).last_sent_on == reminder_day + timedelta(days=7)


def test_no_reminder_when_the_figures_are_in_or_it_is_not_a_reminder_day(started, data_owner):
    due = timezone.localdate() + timedelta(days=10)
    CollectionItem.objects.filter(round=started).update(due_on=due)
    mail.outbox.clear()
    assert notices.remind(due - timedelta(days=3)) == 0
    for item in CollectionItem.objects.filter(round=started, indicator__data_owner__user=data_owner):
        add(item.indicator, item.period_code, "40")
    assert notices.remind(due + timedelta(days=1)) == 0
    assert mail.outbox == []


def test_the_reminder_job_is_on_the_beat_schedule():
    assert settings.CELERY_BEAT_SCHEDULE["send-collection-reminders"]["task"] == (
        "plans.collection.tasks.send_collection_reminders"
    )


# --- the role -------------------------------------------------------------------------------------


def test_data_owner_holds_no_role_and_is_not_in_the_order(data_owner, member):
    assert role_of(data_owner) is None and is_data_owner(data_owner)
    assert not is_data_owner(member)


def test_data_owner_sees_their_goals_page_and_gets_403_on_another(owned, client_for):
    owner = client_for(owned)
    assert owner.get(reverse("plans:goal_detail", args=[2024, 6, 3])).status_code == 200
    assert owner.get(reverse("plans:goal_detail", args=[2024, 6, 5])).status_code == 403
    assert owner.get(reverse("plans:goal_list")).status_code == 403


def test_data_owner_gets_403_on_a_round_without_their_indicators(owned, administrator, client_for):
    DataOwner.objects.filter(user=owned).delete()
    round_, _created = rounds.start(last_half(), administrator, "http://testserver/")
    assert client_for(owned).get(reverse("collection:figures", args=[round_.pk])).status_code == 403


def test_data_owner_starts_on_their_figures_and_the_menu_shows_only_them(owned, client_for):
    owner = client_for(owned)
    response = owner.get(reverse("start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("collection:mine")
    nav = response.text.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert "Mine tal" in nav and "Investeringer" not in nav
    assert '<span class="user-name">Dataansvarlig</span>' in response.text  # the name says the role already


def test_sso_group_can_map_to_the_data_owner_role():
    assert parse_group_roles({"GRP-Data": "dataansvarlig"}) == {"grp-data": DATA_OWNER_GROUP}


def test_administrator_gives_a_user_the_data_owner_role_at_brugere(administrator, member, client_for):
    response = client_for(administrator).post(
        reverse("user_edit", args=[member.pk]),
        {
            "first_name": "Medlem",
            "last_name": "",
            "email": "medlem@norddjurs.dk",
            "role": Role.MEMBER.group_name,
            "data_owner": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.groups.filter(name=DATA_OWNER_GROUP).exists()
    assert member.groups.filter(name=Role.MEMBER.group_name).exists()
    assert Group.objects.get(name=DATA_OWNER_GROUP).user_set.count() == 1


# --- demo data -------------------------------------------------------------------------------------


def test_demo_round_is_in_progress_and_removal_leaves_nothing(data_owner):
    from plans.collection.services import demo

    today = timezone.localdate()
    demo.load(today)
    demo.load(today)  # a second make run changes nothing
    round_ = CollectionRound.objects.get(period_code=demo_half(today).code)
    received = [item.received for item in rounds.items(round_)]
    assert any(received) and not all(received)
    assert set(ownership.local_indicators(round_.items.first().indicator.goal.plan)) == {
        o.indicator for o in DataOwner.objects.filter(user=data_owner)
    }
    demo.remove(today)
    assert not CollectionRound.objects.exists() and not DataOwner.objects.exists()
    assert not Observation.objects.filter(entered_by=data_owner).exists()


def demo_half(today):
    """The demo round's half-year: the one that holds the last complete quarter before `today`."""
    from plans.services.demo import last_complete_quarter

    return half_year_of(last_complete_quarter(today).end)


@pytest.mark.parametrize("today", [date(2026, 2, 10), date(2026, 5, 14), date(2026, 12, 7), date(2027, 9, 30)])
def test_demo_round_holds_no_figure_for_a_running_period_and_leaves_no_goal_missing(settings, today):
    from django.core.management import call_command

    from portal import demo as portal_demo

    settings.DEBUG = settings.DEMO_USERS = True
    call_command("create_demo_users", stdout=io.StringIO())
    portal_demo.load(today)
    plan_in_force = CollectionRound.objects.get().items.first().indicator.goal.plan
    assert CollectionRound.objects.get().period_code == demo_half(today).code
    assert not Observation.objects.filter(period_end__gte=today).exists()
    assert not Indicator.objects.filter(goal__plan=plan_in_force, status=Status.MISSING_DATA).exists()


def test_owner_form_has_no_field_for_a_period_still_running(owned, data_owner, administrator, client_for):
    running = half_year_of(timezone.localdate())
    round_, _created = rounds.start(running, administrator, "http://testserver/")
    item = CollectionItem.objects.get(round=round_, indicator=indicator("6.3"))
    owner = client_for(data_owner)
    page = owner.get(reverse("collection:figures", args=[round_.pk])).text
    assert f'name="value_{item.pk}"' not in page
    assert "tallet kan skrives, når den er slut" in page
    owner.post(reverse("collection:figures", args=[round_.pk]), {f"value_{item.pk}": "41,2"})
    assert not Observation.objects.filter(indicator=item.indicator, period_code=running.code).exists()


def test_demo_users_include_the_data_owner_without_a_role(settings):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    settings.DEMO_USERS = True
    call_command("create_demo_users", stdout=io.StringIO())
    user = User.objects.get(username="dataansvarlig")
    assert is_data_owner(user) and role_of(user) is None
    assert user.check_password("Dataansvarlig-demo-2024")


def test_load_demo_data_brings_a_round_in_progress_and_remove_demo_data_takes_it_away(settings):
    from django.core.management import call_command

    settings.DEBUG = settings.DEMO_USERS = True
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    round_ = CollectionRound.objects.get(period_code=demo_half(timezone.localdate()).code)
    received = [item.received for item in rounds.items(round_)]
    assert any(received) and not all(received)
    call_command("remove_demo_data", stdout=io.StringIO())
    assert not CollectionRound.objects.exists() and not DataOwner.objects.exists()
