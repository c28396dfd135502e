"""Structured logs: one line per request and per task, JSON with LOG_FORMAT=json, no personal data."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import CalendarFeed, Fair, FairSeries
from portal.logging import JsonFormatter, KeyValueFormatter
from tests.paths import ROOT

pytestmark = pytest.mark.django_db


def lines(caplog, logger):
    return [record for record in caplog.records if record.name == logger]


def test_request_line_has_method_path_status_duration_and_user_id_without_query(client_for, member, caplog):
    caplog.set_level(logging.INFO)
    client_for(member).get(reverse("plans:goal_list") + "?status=paa_sporet&kilde=x")
    [record] = lines(caplog, "portal.request")
    entry = json.loads(JsonFormatter().format(record))
    assert {k: entry[k] for k in ("level", "logger", "event", "method", "path", "status", "user_id")} == {
        "level": "INFO",
        "logger": "portal.request",
        "event": "request",
        "method": "GET",
        "path": "/maal/",
        "status": 200,
        "user_id": member.pk,
    }
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] > 0
    assert "kilde" not in JsonFormatter().format(record) and "kilde" not in KeyValueFormatter().format(record)


def test_request_line_of_an_anonymous_post_has_no_user_id_and_no_form_data(client, caplog):
    caplog.set_level(logging.INFO)
    client.post(reverse("login"), {"username": "hemmelig-bruger", "password": "hemmelig-kode-123"})
    [record] = lines(caplog, "portal.request")
    assert (record.method, record.path, record.status, record.user_id) == ("POST", "/log-ind/", 200, None)
    text = "\n".join(JsonFormatter().format(r) + KeyValueFormatter().format(r) for r in caplog.records)
    assert "hemmelig" not in text


def test_plain_format_writes_fields_as_key_value_pairs(client_for, member, caplog):
    caplog.set_level(logging.INFO)
    client_for(member).get(reverse("plans:goal_list"))
    [record] = lines(caplog, "portal.request")
    line = KeyValueFormatter().format(record)
    assert " INFO portal.request: request event=request method=GET path=/maal/ status=200 duration_ms=" in line
    assert line.endswith(f" user_id={member.pk}")


def test_calendar_token_in_the_path_is_not_logged(client, member, caplog):
    feed = CalendarFeed.objects.create(user=member)
    caplog.set_level(logging.INFO)
    assert client.get(reverse("events:calendar_feed", args=[feed.token])).status_code == 200
    [record] = lines(caplog, "portal.request")
    assert record.path == "/arrangementer/kalender/***.ics"
    assert feed.token not in "\n".join(JsonFormatter().format(r) for r in caplog.records)


def test_task_line_has_name_id_state_and_duration(eager_tasks, caplog):
    from plans.tasks import refresh_statuses

    caplog.set_level(logging.INFO)
    result = refresh_statuses.delay()
    [record] = lines(caplog, "portal.task")
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["event"], entry["task"], entry["task_id"], entry["state"]) == (
        "task",
        "plans.tasks.refresh_statuses",
        result.id,
        "SUCCESS",
    )
    assert isinstance(entry["duration_ms"], float)
    assert "indicator_ids" not in json.dumps(entry)


def test_log_format_json_writes_one_json_object_per_line_to_stderr(tmp_path):
    """A separate process with LOG_FORMAT=json: what production's log collector reads."""
    script = "import django\ndjango.setup()\nfrom django.test import Client\nClient().get('/log-ind/?next=/maal/')\n"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", LOG_FORMAT="json", VAR_DIR=str(tmp_path), ALLOWED_HOSTS="testserver"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    requests = [e for e in entries if e.get("event") == "request"]
    assert [(e["method"], e["path"], e["status"], e["user_id"]) for e in requests] == [("GET", "/log-ind/", 200, None)]


def test_log_format_other_than_plain_or_json_is_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(LOG_FORMAT="xml", VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'plain' or 'json'" in result.stderr


CITIZEN = {"name": "Karoline Østergaard-Vestesen", "phone": "29384756", "email": "karoline.vestesen@example.dk"}


def test_sign_up_journey_writes_no_personal_data_to_the_logs(client_for, caseworker, caplog, capsys):
    """A caseworker signs a citizen up with consent to contact, sees the lists, exports them,
    checks the citizen in and cancels; the logs hold the journey's requests but never the citizen."""
    caplog.set_level(logging.DEBUG)
    fair = Fair.objects.create(
        series=FairSeries.objects.get(),
        venue="Grenaa Bibliotek",
        date=timezone.localdate() + timedelta(days=10),
        capacity=1,
    )
    other = Fair.objects.create(
        series=fair.series, venue="Auning Bibliotek", date=timezone.localdate() + timedelta(days=12), capacity=5
    )
    client = client_for(caseworker)
    signups_url = reverse("events:signups", args=[fair.pk])
    assert client.get(signups_url).status_code == 200
    form = {
        **CITIZEN,
        "benefit_group": "ledighedsydelse",
        "fairs": [fair.pk, other.pk],
        "consent_to_contact": "on",
        "needs_transport": "on",
        "submission_key": "journey-1",
    }
    page = client.post(signups_url, form, follow=True).content.decode()
    assert f"{CITIZEN['name']} er tilmeldt messen på Grenaa Bibliotek." in page
    # A second citizen goes on the waiting list, so the cancellation below moves someone up.
    client.post(
        signups_url,
        {"name": "Bo Bøgh-Lindqvist", "benefit_group": "anden", "fairs": [fair.pk], "submission_key": "journey-2"},
    )
    signup = fair.signups.get(name=CITIZEN["name"])
    assert signup.phone == CITIZEN["phone"] and signup.email == CITIZEN["email"]
    for name in ("events:participants", "events:checkin"):
        assert CITIZEN["name"] in client.get(reverse(name, args=[fair.pk])).content.decode()
    assert client.get(reverse("events:participants", args=[fair.pk]), {"eksport": "csv"}).status_code == 200
    client.post(reverse("events:checkin", args=[fair.pk]), {"signup": signup.pk, "attended": "ja"})
    client.post(reverse("events:signup_cancel", args=[signup.pk]), follow=True)
    # A form error echoes the data back in the page; it must not reach the log either.
    client.post(signups_url, {**form, "consent_to_contact": "", "submission_key": "journey-3"})

    records = caplog.records
    requests = [r for r in records if r.name == "portal.request"]
    assert len(requests) >= 10 and all(r.user_id == caseworker.pk for r in requests)
    assert {r.path for r in requests} >= {signups_url, reverse("events:signup_cancel", args=[signup.pk])}
    text = "\n".join(JsonFormatter().format(r) + "\n" + KeyValueFormatter().format(r) for r in records)
    captured = capsys.readouterr()
    text += captured.out + captured.err
    for value in (*CITIZEN.values(), "Karoline", "Østergaard", "Vestesen", "Bøgh-Lindqvist"):
        assert value not in text, f"{value!r} står i loggen"


def test_not_found_warning_masks_the_calendar_token_in_every_log(client, member, caplog):
    caplog.set_level(logging.INFO)
    token = "hemmeligt-kalender-token-0123456789"
    assert client.get(reverse("events:calendar_feed", args=[token])).status_code == 404
    [warning] = lines(caplog, "django.request")
    assert warning.getMessage() == "Not Found: /arrangementer/kalender/***.ics"
    assert token not in "\n".join(KeyValueFormatter().format(r) for r in caplog.records)


def test_password_set_token_is_masked_in_any_line(caplog):
    from portal.logging import MaskSecretPaths

    record = logging.LogRecord("x", logging.WARNING, "", 0, "Not Found: %s", ("/adgangskode/MTI/cz3k-0123abcd/",), None)
    MaskSecretPaths().filter(record)
    assert record.getMessage() == "Not Found: /adgangskode/MTI/***/"
