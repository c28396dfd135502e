"""Cached dashboard pages (portal.cache): served from the cache, never stale after a change."""

import socket
import time
from datetime import date

import pytest
from django.core.cache import cache as django_cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.imports import service
from plans.models import DataImport, ExtractMapping, Indicator, Observation
from plans.services import observations, status
from portal import cache
from portal.auth import ModelBackend
from portal.celery import app
from portal.periods import parse_period
from tests.conftest import PASSWORD
from tests.support.stalling import Silent, elapsed

pytestmark = pytest.mark.django_db
SHARE = "Andel personer med ordinære timer (pct.)"
GOAL_6_10 = reverse("plans:goal_detail", args=[2024, 6, 10])
NO_THRESHOLD = "Målets grænseværdi er ikke fastsat endnu."


def _csv(*rows: str) -> bytes:
    return ("\r\n".join([f"Område;Periode;Ydelsesgrupper;Antal personer i alt;{SHARE}", *rows]) + "\r\n").encode(
        "utf-8"
    )


def _import(content: bytes) -> None:
    record = service.create(ContentFile(content, name="udtraek.csv"), None)
    record, touched = service.process(record.pk)
    assert record.state == DataImport.State.DONE, record.errors
    status.refresh(touched)


@pytest.fixture
def ordinary_hours():
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    ExtractMapping.objects.create(
        indicator=indicator,
        table="OTIJ01",
        measure=SHARE,
        comparison_area="Hele landet",
        filters={"Ydelsesgrupper": "Kontanthjælp"},
    )
    return indicator


def test_member_page_second_request_is_served_from_the_cache(client_for, member):
    client = client_for(member)
    assert client.get(GOAL_6_10)["X-Page-Cache"] == "miss"
    second = client.get(GOAL_6_10)
    assert second["X-Page-Cache"] == "hit"
    assert second.status_code == 200 and "6.10" in second.text


def test_member_sees_a_new_figure_right_after_an_import(client_for, member, ordinary_hours):
    client = client_for(member)
    _import(_csv("Hele landet;2024Q1;Kontanthjælp;52.340;9,8", "Norddjurs;2024Q1;Kontanthjælp;412;8,7"))
    client.get(GOAL_6_10)
    assert client.get(GOAL_6_10)["X-Page-Cache"] == "hit"
    overview = client.get(reverse("plans:goal_list")).text
    assert "47,3" not in client.get(GOAL_6_10).text and "47,3" not in overview
    _import(_csv("Hele landet;2024Q2;Kontanthjælp;51.870;10,4", "Norddjurs;2024Q2;Kontanthjælp;405;47,3"))
    page = client.get(GOAL_6_10)
    assert page["X-Page-Cache"] == "miss" and "47,3" in page.text
    assert "47,3" in client.get(reverse("plans:goal_list")).text


def test_member_sees_a_hand_entered_figure_at_once(client_for, member, administrator):
    indicator = Indicator.objects.get(goal__major=1, goal__minor=3)
    url = reverse("plans:goal_detail", args=[2024, 1, 3])
    client = client_for(member)
    client.get(url)
    assert "61,4" not in client.get(url).text
    period = parse_period(f"{date.today().year}Q1")
    observation = Observation(
        indicator=indicator,
        area="Norddjurs",
        value="61.4",
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
    )
    observations.save_by_hand(observation, administrator)
    assert "61,4" in client.get(url).text


def test_member_sees_a_rule_change_at_once(client, member, administrator):
    indicator = Indicator.objects.get(goal__major=2, goal__minor=1)
    period = parse_period(f"{date.today().year}Q{(date.today().month - 1) // 3 + 1}")
    Observation.objects.create(
        indicator=indicator,
        area="Norddjurs",
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        value=4,
    )
    status.refresh([indicator.id])
    url = reverse("plans:goal_detail", args=[2024, 2, 1])
    client.force_login(member)
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit" and NO_THRESHOLD in cached.text
    client.force_login(administrator)
    response = client.post(
        reverse("plans:indicator_rule", args=[indicator.id]),
        {"rule": "hoejst", "threshold": "6", "risk_margin": "0", "higher_is_better": "on", "strict": ""},
        follow=True,
    )
    assert "Målreglen er gemt" in response.text  # the message is read, so the member's next page has none
    client.force_login(member)
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and NO_THRESHOLD not in page.text


def test_members_share_a_page_with_their_own_name_and_csrf_token(client, member, db):
    from django.contrib.auth.models import Group, User

    other = User.objects.create_user(username="anden", first_name="Anden")
    other.groups.add(Group.objects.get(name="Udvalgsmedlem"))
    client.force_login(member)
    first = client.get(reverse("plans:goal_list"))
    client.logout()
    client.force_login(other)
    second = client.get(reverse("plans:goal_list"))
    assert second["X-Page-Cache"] == "hit"
    assert "Anden" in second.text and "Medlem (" not in second.text
    tokens = [part.split('"')[0] for part in second.text.split('name="csrfmiddlewaretoken" value="')[1:]]
    assert tokens and all(len(t) == 64 for t in tokens)
    assert "\x00" not in second.text and first.status_code == 200


def test_administrator_pages_are_never_cached(client_for, administrator):
    client = client_for(administrator)
    client.get(GOAL_6_10)
    assert "X-Page-Cache" not in client.get(GOAL_6_10)


def test_cached_page_still_refuses_a_user_without_a_role(client_for, member, outsider):
    client_for(member).get(GOAL_6_10)
    assert client_for(outsider).get(GOAL_6_10).status_code == 403


def test_member_sees_a_changed_investment_figure_at_once(client_for, member):
    from investments.models import YearlyFigure

    client = client_for(member)
    url = reverse("investments:overview")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    figure = YearlyFigure.objects.get(proposal__number=1, year=2020)
    figure.savings = "-3.703"
    figure.save()
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and ">-2.629</td>" in page.text


def _redis_cache(settings, location: str) -> None:
    """The cache as settings configure it with REDIS_URL, at `location`."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_TIMEOUT_SECONDS,
                "socket_timeout": settings.REDIS_TIMEOUT_SECONDS,
            },
        }
    }


@pytest.fixture
def refused_redis(settings):
    """Redis that refuses connections: a free port where nothing listens (a new one per test, so that no
    breaker opened by another test is met here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _redis_cache(settings, f"redis://127.0.0.1:{port}/0")


@pytest.fixture
def silent_redis(settings):
    """Redis that accepts connections and never answers (frozen, or behind a partition), as cache and broker."""
    with Silent() as server:
        url = server.url("redis") + "/0"
        _redis_cache(settings, url)
        previous = app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool
        app.conf.broker_url, app.conf.task_always_eager = url, False
        app._pool = app.amqp._producer_pool = None  # connect to the silent broker, not a pooled one
        try:
            yield server
        finally:
            if app._pool is not None:
                app._pool.force_close_all()
            app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool = previous


def test_writes_and_user_reads_go_on_while_redis_cannot_be_reached(member, refused_redis, caplog):
    """Invalidating the page and user caches steps aside when Redis is out of reach, so a write in a task or
    a command is not lost to it, and the user is read from the database."""
    member.is_active = False
    member.save()  # its cache entry cannot be deleted
    assert ModelBackend().get_user(member.pk) is None  # read from the database: inactive
    record = service.create(ContentFile(b"Omraade;Periode\n", name="redis-nede.csv"), None)  # bumps the pages
    assert DataImport.objects.filter(pk=record.pk).exists()
    assert cache.data_version() is None  # no page is read from the cache or stored in it
    assert "The cache could not be reached" in caplog.text


def test_pages_and_logins_work_while_redis_cannot_be_reached(client, member, refused_redis):
    """The sessions, the logged-in user and the page cache all step aside: the database answers."""
    member.set_password(PASSWORD)
    member.save()
    response = client.post(reverse("login"), {"username": member.username, "password": PASSWORD})
    assert response.status_code == 302
    for url in (reverse("start"), reverse("plans:goal_list"), reverse("plans:goal_detail", args=[2024, 6, 10])):
        page = client.get(url)
        assert page.status_code == 200 and "X-Page-Cache" not in page
    member.is_active = False
    member.save()
    assert client.get(reverse("start")).status_code == 302  # read from the database: logged out at once


@pytest.fixture
def member_client(client, member):
    """A member logged in before Redis fell silent (the session is in the database too)."""
    client.force_login(member)
    return client


def test_silent_redis_costs_a_member_page_one_timeout_per_interval(member_client, silent_redis, settings, caplog):
    """Without the breaker each of a page's cache operations (session, user, data version, page) waits its
    1 s timeout: 4-8 s a page. With it, the first operation pays, and the process leaves Redis alone."""
    client = member_client
    first, page = elapsed(lambda: client.get(GOAL_6_10))
    second, again = elapsed(lambda: client.get(reverse("plans:goal_list")))
    assert page.status_code == 200 and again.status_code == 200 and "X-Page-Cache" not in again
    assert first < 1.5 + settings.REDIS_TIMEOUT_SECONDS, first
    assert second < 1.5, second
    assert caplog.text.count("The cache could not be reached") == 1  # one line per interval, not per operation


def test_breaker_asks_redis_again_after_its_interval(silent_redis, settings):
    settings.CACHE_BREAKER_SECONDS = 1
    assert elapsed(lambda: django_cache.get("a"))[0] >= settings.REDIS_TIMEOUT_SECONDS * 0.9  # asked, and no answer
    assert elapsed(lambda: django_cache.get("a"))[0] < 0.2  # the breaker is open
    time.sleep(1.1)
    assert elapsed(lambda: django_cache.get("a"))[0] >= settings.REDIS_TIMEOUT_SECONDS * 0.9  # asked again


def test_upload_while_redis_is_silent_is_saved_and_answered_with_a_redirect(
    silent_redis, client_for, administrator, django_capture_on_commit_callbacks
):
    """The publish to the silent broker is cut by the socket timeouts (an unbounded publish hung until gunicorn
    killed the worker: a 500 after 31 s). The import stays "i kø"; beat's requeue queues it later."""
    client = client_for(administrator)
    upload = SimpleUploadedFile("y30r21_stille.csv", b"Omraade;Periode\r\nNorddjurs;2024Q1\r\n")

    def upload_and_commit():  # the view's transaction commits (and queues) within the request
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("imports:list"), {"files": [upload]})

    took, response = elapsed(upload_and_commit)
    record = DataImport.objects.get(original_name="y30r21_stille.csv")
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[record.pk])
    assert record.state == DataImport.State.QUEUED
    assert took < 8, took
    assert silent_redis.connections >= 1  # the broker was asked, not skipped
