"""Figures from the Jobindsats API (v3): fetched from a real local HTTP server built from the samples.

tests/support/jobindsats_fake.py serves v3-shaped answers on 127.0.0.1 (never the internet); the fetch,
the import, the retries and the e-mails all run for real. Backoff and timeouts are short here.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.core.benefits import FULL_TIME_TABLES
from plans.evaluation import Status
from plans.imports import fetch_tasks, fetching, jobindsats
from plans.imports.fetching import LOCK, plan_periods
from plans.imports.models import DataImport, ExtractMapping, TableMetadata
from plans.models import Indicator, Observation, ObservationChange
from portal.roles import Role
from tests.paths import ROOT
from tests.support.jobindsats_fake import FakeJobindsats
from tests.support.stalling import Trickling, elapsed

pytestmark = pytest.mark.django_db
KEY = "test-key-0b5e9d41c7a2"
ACTUAL = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: Faktisk antal"


@pytest.fixture
def api(settings, monkeypatch):
    fake = FakeJobindsats(KEY)
    fake.slow_seconds = 1.0
    settings.JOBINDSATS_API_URL = fake.start()
    settings.JOBINDSATS_TIMEOUT_SECONDS = 0.3
    settings.JOBINDSATS_RETRIES = 2
    settings.JOBINDSATS_BACKOFF_SECONDS = 0.01
    monkeypatch.setenv(jobindsats.KEY_VARIABLE, KEY)
    monkeypatch.delenv(jobindsats.KEY_FILE_VARIABLE, raising=False)
    cache.delete(LOCK)
    yield fake
    fake.stop()


@pytest.fixture
def admin_mail(db):
    user = User.objects.create_user("it-admin", email="it-admin@kommune.example", password="x" * 12)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.group_name))
    User.objects.create_user("former-admin", email="former@kommune.example", is_active=False).groups.add(
        Group.objects.get(name=Role.ADMINISTRATOR.group_name)
    )
    User.objects.create_user("member", email="member@kommune.example").groups.add(
        Group.objects.get(name=Role.MEMBER.group_name)
    )
    return user.email


def mapped_indicators():
    return Indicator.objects.filter(mappings__active=True).distinct()


def api_imports():
    return DataImport.objects.filter(source=DataImport.Source.API)


def periods_asked(request) -> list[str]:
    return next(v for k, v in request["params"].items() if k.startswith("period.")).split(",")


# --- a full fetch, and one that brings nothing new --------------------------------------------------------


def test_full_fetch_imports_every_mapped_table_and_statuses_change(api):
    tables = fetching.fetched_tables()
    assert {"Y30R21", "Y08A02", "Y09A02", "Y38A02", "OTIJ01", "JO01"} <= set(fetching.mapped_tables())  # the seed's
    assert set(FULL_TIME_TABLES) <= set(tables)  # and the budget follow-up's
    before = {i.pk: (i.status, i.status_reason) for i in mapped_indicators()}
    result = fetching.fetch()
    assert {t.table: t.state for t in result.tables} == dict.fromkeys(tables, "imported"), [
        t.message for t in result.tables
    ]
    records = api_imports()
    assert sorted(records.values_list("table", flat=True)) == tables
    assert all(r.state == DataImport.State.DONE for r in records), [r.errors for r in records]
    after = {i.pk: (i.status, i.status_reason) for i in mapped_indicators()}
    assert all(after[pk] != before[pk] for pk in before), (before, after)
    for indicator in mapped_indicators():
        assert Observation.objects.filter(indicator=indicator, area="Norddjurs", data_import__source="api").exists(), (
            indicator
        )
    assert any(status != Status.MISSING_DATA for status, _reason in after.values())
    assert str(fetching.next_update(["y30r21", "Y08A02"])) == "2026-12-10"  # for the goal pages
    meta = TableMetadata.objects.get(table="Y30R21")
    assert (meta.latest_period, meta.title[:10], str(meta.next_update)) == ("2026QMAT02", "Benchmark:", "2026-12-10")
    assert not meta.last_failed and meta.last_import.source == "api"


def test_second_fetch_changes_nothing_makes_no_record_and_says_so(api):
    fetching.fetch()
    records = api_imports().count()
    values = list(Observation.objects.order_by("pk").values_list("pk", "value", "comparison"))
    api.requests.clear()
    second = fetching.fetch()
    assert {t.state for t in second.tables} == {"unchanged"}
    assert api_imports().count() == records
    assert list(Observation.objects.order_by("pk").values_list("pk", "value", "comparison")) == values
    assert all(m.last_result.startswith("Intet nyt") for m in TableMetadata.objects.all())
    # Only the newest periods, which may have been revised, are asked for again.
    assert {len(periods_asked(r)) for r in api.data_requests()} == {4}


def test_figures_the_portal_already_has_are_imported_without_change_and_the_notes_say_so(api):
    fetching.fetch(["Y30R21"])
    TableMetadata.objects.filter(table="Y30R21").update(period_digests={})  # as if the figures came from an upload
    result = fetching.fetch(["Y30R21"])
    record = DataImport.objects.get(pk=result.tables[0].import_id)
    assert (record.state, record.observations_changed) == (DataImport.State.DONE, 0)
    assert "Intet nyt: hentningen ændrede ingen tal." in record.notes
    assert result.tables[0].message.startswith("Intet nyt")


def test_revised_figure_is_fetched_again_and_the_old_value_kept_in_history(api):
    fetching.fetch()
    table = api.tables["Y30R21"]
    column = table.columns.index(ACTUAL)
    row = next(r for r in table.rows if r[0] == "2026QMAT02" and r[1] == "Norddjurs" and r[2] == "Ydelsesgrupper i alt")
    row[column] += 7
    result = fetching.fetch()
    states = {t.table: t.state for t in result.tables}
    assert states.pop("Y30R21") == "imported" and set(states.values()) == {"unchanged"}
    observation = Observation.objects.get(
        indicator__goal__major=1, indicator__goal__minor=1, area="Norddjurs", period_code="2026QMAT02"
    )
    assert observation.value == row[column]
    assert ObservationChange.objects.filter(observation=observation, value=row[column] - 7).exists()


def test_missing_periods_and_the_newest_are_asked_for_and_no_more(api):
    fetching.fetch(["Y30R21"])
    Observation.objects.filter(
        indicator__goal__major=1, indicator__goal__minor=1, area="Norddjurs", period_code="2023QMAT04"
    ).delete()
    api.requests.clear()
    fetching.fetch(["Y30R21"])
    (request,) = api.data_requests("Y30R21")
    assert periods_asked(request) == ["2023QMAT04", "2024QMAT04", "2025QMAT02", "2025QMAT04", "2026QMAT02"]


def test_every_request_carries_the_bearer_key_and_format_and_the_inferred_parameters(api, settings):
    settings.JOBINDSATS_PERIODS_PER_REQUEST = 12
    fetching.fetch(["Y08A02"])
    assert {r["authorization"] for r in api.requests} == {f"Bearer {KEY}"}
    assert {r["params"].get("format") for r in api.requests} == {"json"}
    data = api.data_requests("Y08A02")
    assert [len(periods_asked(r)) for r in data] == [12, 12, 6]  # 30 months in requests of 12, joined into one import
    assert data[0]["params"]["mgroup.*"] == "*" and data[0]["params"]["hierarchy._nykom"] == "*"
    assert api_imports().get().rows_total == 360


def test_uoplyst_omraade_row_from_the_api_is_kept_out_of_the_figures(api):
    fetching.fetch(["Y30R21"])
    record = api_imports().get(table="Y30R21")
    assert not Observation.objects.filter(area="Uoplyst område").exists()
    assert any("Uoplyst område" in note for note in record.notes)


def test_csv_answer_with_a_bom_is_read(api):
    assert api.tables["JO01"].as_csv
    result = fetching.fetch(["JO01"])
    assert result.tables[0].state == "imported", result.tables[0].message
    assert Observation.objects.filter(
        indicator__goal__major=6, indicator__goal__minor=1, area="Norddjurs", period_code="2026M06"
    ).exists()


def test_period_plan_takes_missing_periods_within_the_window_and_the_newest():
    months = [f"{y}M{m:02d}" for y in (2021, 2022, 2023, 2024) for m in range(1, 13)]
    held = {f"2023M{m:02d}" for m in range(1, 13)} | {"2024M01", "2024M12"}
    period_type, periods = plan_periods({"M": months, "Q": ["2024Q1", "2024Q2"]}, held, revised=2, years=2)
    assert period_type == "M"
    assert periods == [f"2024M{m:02d}" for m in range(2, 13)]  # 2021-2022 lie outside the two years
    assert plan_periods({"QMAT": ["2024QMAT02", "2024QMAT04"], "M": months}, set(), 4, 3)[0] == "QMAT"
    assert plan_periods({"Q": ["2024Q1", "2024Q2"], "M": months}, {"2023Q4"}, 1, 3) == ("Q", ["2024Q1", "2024Q2"])


def test_period_plan_skips_types_it_cannot_read_and_asks_for_no_revision_when_told_none():
    assert plan_periods({"W": ["2024U01"], "X": ["2024Q1", "2024M01"]}, set(), 2, 3) == ("", [])  # unknown, mixed
    assert plan_periods({"Q": ["2024Q1", "2024Q2"]}, {"2024Q1", "2024Q2"}, 0, 3) == ("Q", [])


def test_dry_run_shows_many_periods_as_a_range_and_says_when_there_are_none(api):
    assert fetching.fetch(["Y08A02"], dry_run=True).tables[0].message == (
        "Ville hente 30 perioder af typen M: 2024M01–2026M06."
    )
    table = api.tables["Y30R21"]
    for row in table.rows:
        row[table.period_index] = "uge 1"
    assert fetching.fetch(["Y30R21"], dry_run=True).tables[0].message == (
        "Tabellen har ingen perioder, portalen kan læse."
    )
    assert not api_imports().exists() and not TableMetadata.objects.exists()


def test_a_table_without_periods_the_portal_reads_fetches_nothing_and_says_so(api):
    table = api.tables["Y30R21"]
    for row in table.rows:
        row[table.period_index] = "uge 1"
    (result,) = fetching.fetch(["Y30R21"]).tables
    assert (result.state, result.message) == (
        "unchanged",
        "Tabellen har ingen perioder, portalen kan læse; intet er hentet.",
    )
    meta = TableMetadata.objects.get(table="Y30R21")
    assert (meta.last_result, meta.last_failed, meta.title[:10]) == (result.message, False, "Benchmark:")
    assert not api_imports().exists() and not api.data_requests()


def test_one_part_of_a_ratio_is_kept_and_the_message_says_so(api):
    (result,) = fetching.fetch(["Y09A02"]).tables  # 5.1's numerator; its denominator comes from Y08A02
    assert result.state == "imported" and not result.touched
    assert result.message.startswith("Gemt som del af en brøk: 30 perioder hentet (2024M01–2026M06), import #")
    record = DataImport.objects.get(pk=result.import_id)
    assert record.notes[1].startswith("Tabellens tal er gemt som den ene del af en brøk")


def test_a_mapping_without_rows_adds_a_warning_to_the_tables_result(api, admin_mail):
    mapping = ExtractMapping.objects.filter(active=True, table="Y30R21").first()
    ExtractMapping.objects.create(
        indicator=mapping.indicator, table="Y30R21", measure=mapping.measure, filters={"Ydelsesgrupper": "Findes ikke"}
    )
    (result,) = fetching.fetch(["Y30R21"]).tables
    assert result.state == "imported" and len(result.warnings) == 1
    assert result.message.endswith("Advarsel: " + result.warnings[0])
    assert TableMetadata.objects.get(table="Y30R21").last_result == result.message
    assert "fik ingen tal" in mail.outbox[0].subject


# --- failures -----------------------------------------------------------------------------------------------


def test_a_failed_import_of_the_answer_fails_the_table_with_its_reason(api, admin_mail):
    table = api.tables["Y30R21"]
    table.rows[0][table.columns.index(ACTUAL)] = "mange"
    (result,) = fetching.fetch(["Y30R21"]).tables
    record = DataImport.objects.get(pk=result.import_id)
    assert (result.state, record.state) == ("failed", DataImport.State.FAILED)
    assert "'mange' er ikke et tal" in result.message
    meta = TableMetadata.objects.get(table="Y30R21")
    assert meta.last_failed and meta.last_result == f"Fejlet: {result.message}" and meta.last_import == record
    assert meta.period_digests == {}  # the next fetch asks again


def test_no_key_fails_with_one_record_and_an_email_to_the_administrators(api, admin_mail, monkeypatch):
    monkeypatch.delenv(jobindsats.KEY_VARIABLE)
    result = fetching.fetch()
    assert {t.state for t in result.tables} == {"failed"}
    record = api_imports().get()
    assert record.state == DataImport.State.FAILED
    assert "ingen API-nøgle" in record.errors[0]
    assert api.requests == []
    (message,) = mail.outbox
    assert message.to == [admin_mail]
    assert "ingen API-nøgle" in message.body and f"#{record.pk}" in message.body
    assert TableMetadata.objects.get(table="Y30R21").last_failed


def test_scheduled_fetch_without_a_key_is_switched_off_and_does_nothing(api, admin_mail, monkeypatch):
    monkeypatch.delenv(jobindsats.KEY_VARIABLE)
    assert "ikke slået til" in fetch_tasks.fetch_jobindsats()
    assert (api_imports().count(), len(mail.outbox), api.requests) == (0, 0, [])


def test_key_is_read_from_the_key_file(api, monkeypatch, tmp_path):
    path = tmp_path / "jobindsats.key"
    path.write_text(KEY + "\n", encoding="utf-8")
    monkeypatch.delenv(jobindsats.KEY_VARIABLE)
    monkeypatch.setenv(jobindsats.KEY_FILE_VARIABLE, str(path))
    assert fetching.fetch(["Y30R21"]).tables[0].state == "imported"
    assert {r["authorization"] for r in api.requests} == {f"Bearer {KEY}"}


def test_unreadable_key_file_fails_even_the_scheduled_run(api, admin_mail, monkeypatch, tmp_path):
    monkeypatch.delenv(jobindsats.KEY_VARIABLE)
    monkeypatch.setenv(jobindsats.KEY_FILE_VARIABLE, str(tmp_path / "missing.key"))
    fetch_tasks.fetch_jobindsats()
    assert "kan ikke læses" in api_imports().get().errors[0]
    assert len(mail.outbox) == 1


def test_wrong_key_401_fails_the_run_once_without_retrying(api, admin_mail, monkeypatch):
    monkeypatch.setenv(jobindsats.KEY_VARIABLE, "not-the-key")
    result = fetching.fetch()
    assert {t.state for t in result.tables} == {"failed"}
    record = api_imports().get()
    assert "HTTP 401" in record.errors[0] and "forkert eller udløbet" in record.errors[0]
    assert len(api.requests) == 1  # a refused key is not tried again
    assert len(mail.outbox) == 1


def test_expired_key_answered_the_v2_way_fails_as_a_refused_key(api, admin_mail):
    api.script("table/", "v2key")
    result = fetching.fetch()
    assert {t.state for t in result.tables} == {"failed"}
    (record,) = api_imports()
    assert "Forkert nøgle eller nøglen er udløbet." in record.errors[0]
    assert len(mail.outbox) == 1


def test_timeout_is_retried_then_fails_with_a_record_and_an_email(api, admin_mail, settings):
    api.script("data/y30r21", then="slow")
    started = time.monotonic()
    result = fetching.fetch(["Y30R21"])
    assert time.monotonic() - started < 5
    assert result.tables[0].state == "failed"
    assert len(api.data_requests("Y30R21")) == settings.JOBINDSATS_RETRIES + 1
    record = api_imports().get()
    assert (record.state, record.table) == (DataImport.State.FAILED, "Y30R21")
    assert "svarede ikke inden for 0.3 sekunder, 3 gange i træk" in record.errors[0]
    assert len(mail.outbox) == 1 and "Y30R21" in mail.outbox[0].body


def test_trickling_server_is_cut_at_the_deadline_of_each_attempt(api, admin_mail, settings):
    """One byte every 0.1 s never meets the per-read timeout (0.3 s here); each attempt is cut at 0.3 s in all.
    Without the deadline this fetch would take hours (a million bytes, headers first, one at a time)."""
    with Trickling(interval=0.1) as server:
        settings.JOBINDSATS_API_URL = server.url()
        took, result = elapsed(lambda: fetching.fetch(["Y30R21"]))
    assert result.tables[0].state == "failed"
    assert server.connections == settings.JOBINDSATS_RETRIES + 1
    assert took < 3 * (settings.JOBINDSATS_RETRIES + 1) * settings.JOBINDSATS_TIMEOUT_SECONDS + 2, took
    assert "svarede ikke inden for 0.3 sekunder, 3 gange i træk" in api_imports().get().errors[0]


def test_server_error_is_retried_and_then_succeeds(api, admin_mail):
    api.script("data/y30r21", 502, 503)
    assert fetching.fetch(["Y30R21"]).tables[0].state == "imported"
    assert len(api.data_requests("Y30R21")) == 3
    assert mail.outbox == []


def test_server_error_every_time_fails_after_bounded_retries(api, admin_mail, settings):
    api.script("data/y30r21", then=500)
    result = fetching.fetch(["Y30R21", "Y38A02"])
    assert {t.table: t.state for t in result.tables} == {"Y30R21": "failed", "Y38A02": "imported"}
    assert len(api.data_requests("Y30R21")) == settings.JOBINDSATS_RETRIES + 1
    failed = api_imports().get(state=DataImport.State.FAILED)
    assert "serverfejl (HTTP 500) 3 gange i træk" in failed.errors[0]
    assert len(mail.outbox) == 1


def test_rate_limiting_backs_off_and_then_imports(api):
    api.script("data/y30r21", 429, 429)
    assert fetching.fetch(["Y30R21"]).tables[0].state == "imported"
    assert len(api.data_requests("Y30R21")) == 3


def test_rate_limiting_that_persists_fails_with_a_danish_reason(api, admin_mail):
    api.script("data/y30r21", then=429)
    result = fetching.fetch(["Y30R21"])
    assert result.tables[0].state == "failed"
    assert "spurgt for ofte (HTTP 429), 3 gange i træk" in api_imports().get().errors[0]
    assert len(mail.outbox) == 1


def test_service_down_for_the_table_list_fails_the_run_once(api, admin_mail):
    api.script("tables", then=503)
    result = fetching.fetch()
    assert {t.state for t in result.tables} == {"failed"}
    assert api_imports().count() == 1 and len(mail.outbox) == 1
    assert api.data_requests() == []


def test_unreachable_server_fails_with_a_danish_reason(api, admin_mail, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.JOBINDSATS_API_URL = f"http://127.0.0.1:{port}"
    result = fetching.fetch(["Y30R21"])
    assert result.tables[0].state == "failed"
    assert "kunne ikke nås" in api_imports().get().errors[0]


def test_changed_column_layout_fails_and_keeps_the_answer_for_the_mapping_editor(
    api, admin_mail, client_for, administrator
):
    table = api.tables["Y30R21"]
    table.columns[table.columns.index(ACTUAL)] = ACTUAL + " (ny opgørelse)"
    result = fetching.fetch(["Y30R21"])
    assert result.tables[0].state == "failed"
    record = api_imports().get()
    assert record.state == DataImport.State.FAILED
    assert "Jobindsats har ændret tabellen Y30R21" in record.errors[0] and f"'{ACTUAL}'" in record.errors[0]
    assert not Observation.objects.filter(data_import=record).exists()
    page = client_for(administrator).get(reverse("imports:mapping_new") + f"?fra={record.pk}").content.decode()
    assert "Faktisk antal (ny opgørelse)" in page
    assert len(mail.outbox) == 1


def test_answer_in_another_shape_is_a_changed_layout(api, admin_mail):
    api.tables["Y30R21"].as_csv = False
    api.script("data/y30r21", "v2key")  # a v2-style answer on the data call
    result = fetching.fetch(["Y30R21"])
    assert result.tables[0].state == "failed"


def test_failure_mail_goes_to_the_administrators_over_real_smtp(api, admin_mail, settings, monkeypatch):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        monkeypatch.setenv(jobindsats.KEY_VARIABLE, "expired-" + KEY)
        fetching.fetch()
    finally:
        controller.stop()
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == [admin_mail]
    content = envelope.content.decode()
    assert "Hentning fra Jobindsats fejlede" in content
    assert KEY not in content


def test_key_appears_in_no_record_log_mail_or_page(api, admin_mail, client_for, administrator, caplog, monkeypatch):
    canary = "CANARY-d2f7a9e4b1c6-KEY"
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv(jobindsats.KEY_VARIABLE, canary)
    fetching.fetch()  # refused: the fake echoes what it was sent in its 401 body
    api.key = canary
    api.script("data/y38a02", then=500)  # the 500 page echoes the header too
    api.script("data/y09a02", then="slow")
    api.tables["Y30R21"].columns[0] = f"Periode {canary}"  # a column that carries it: scrubbed, and a changed layout
    next(r for r in api.tables["Y08A02"].rows if r[0] == "Norddjurs")[0] = (
        f"Atlantis {canary}"  # an unknown area, named in the notes
    )
    fetching.fetch()
    api.script("table/", "v2key")
    fetching.fetch()
    assert api_imports().filter(state=DataImport.State.FAILED).count() == 5
    assert any("Atlantis •••" in note for note in api_imports().get(table="Y08A02").notes)
    stored = [
        str(list(DataImport.objects.values_list("original_name", "errors", "notes"))),
        str(list(TableMetadata.objects.values_list("title", "last_result", "period_digests"))),
    ]
    sent = [m.subject + m.body for m in mail.outbox]
    logged = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    client = client_for(administrator)
    pages = [client.get(reverse("imports:list")).content.decode(), client.get(reverse("imports:api")).content.decode()]
    pages += [
        client.get(reverse("imports:detail", args=[pk])).content.decode()
        for pk in api_imports().values_list("pk", flat=True)
    ]
    assert mail.outbox and caplog.records
    for text in stored + sent + logged + pages:
        assert canary not in text


# --- the command, the task, the page ------------------------------------------------------------------


def test_command_fetches_the_named_table_and_dry_run_changes_nothing(api, capsys):
    call_command("fetch_jobindsats", "--table", "y30r21", "--dry-run")
    assert "Y30R21: Ville hente 6 perioder af typen QMAT" in capsys.readouterr().out
    assert (api_imports().count(), TableMetadata.objects.count(), api.data_requests()) == (0, 0, [])
    call_command("fetch_jobindsats", "--table", "Y30R21")
    assert "Y30R21: " in capsys.readouterr().out
    assert api_imports().get().state == DataImport.State.DONE


def test_command_exits_non_zero_when_a_table_fails(api, admin_mail):
    api.script("data/y30r21", then=500)
    with pytest.raises(CommandError, match="1 af 1 tabeller"):
        call_command("fetch_jobindsats", "--table", "Y30R21")


def test_second_fetch_while_one_runs_is_refused(api):
    cache.add(LOCK, "another", 60)
    assert "kører allerede" in fetching.fetch().skipped
    assert api.requests == []


def test_lock_is_renewed_while_a_fetch_runs_and_released_after(api, settings):
    """The lock's time is short (1 s here) but a fetch that takes longer keeps it, so no second fetch starts."""
    settings.JOBINDSATS_LOCK_SECONDS = 1
    settings.JOBINDSATS_TIMEOUT_SECONDS = 5
    api.slow_seconds = 2.5
    api.script("data/y30r21", "slow")
    seen = []
    probe = threading.Timer(2.0, lambda: seen.append(cache.get(LOCK)))
    probe.start()
    result = fetching.fetch(["Y30R21"])
    probe.join()
    assert result.tables[0].state == "imported"
    assert seen and seen[0] is not None  # held past its first second
    assert cache.get(LOCK) is None and fetching.overview()["running"] is False


def test_killed_fetch_leaves_its_lock_for_seconds_not_hours(redis_url, api, client_for, administrator):
    """A process holding the lock is killed (SIGKILL, as the OOM killer or a container restart does): the lock
    runs out within JOBINDSATS_LOCK_SECONDS, the page no longer says a fetch runs, and the next fetch runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": redis_url, "JOBINDSATS_LOCK_SECONDS": "2"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        page = client_for(administrator).get(reverse("imports:api")).content.decode()
        assert "En hentning kører lige nu." in page
        assert "kører allerede" in fetching.fetch(["Y30R21"]).skipped
    finally:
        holder.kill()
        holder.wait()
    time.sleep(2.5)
    assert "En hentning kører lige nu." not in client_for(administrator).get(reverse("imports:api")).content.decode()
    assert fetching.fetch(["Y30R21"]).tables[0].state == "imported"


HOLD_THE_LOCK = """
import time, django
django.setup()
from plans.imports.fetching import Lease
assert Lease().acquire()
print("held", flush=True)
time.sleep(600)
"""


def test_api_page_shows_the_key_is_set_but_never_the_key(api, client_for, administrator):
    fetching.fetch(["Y30R21"])
    page = client_for(administrator).get(reverse("imports:api")).content.decode()
    assert "Sat (fra JOBINDSATS_API_KEY)" in page and KEY not in page
    for table in fetching.mapped_tables():
        assert f'<th scope="row">{table}' in page
    assert "2026QMAT02" in page and "Hent nu" in page and "Næste planlagte hentning" in page


def test_api_page_without_a_key_says_the_fetch_is_off(api, client_for, administrator, monkeypatch):
    monkeypatch.delenv(jobindsats.KEY_VARIABLE)
    page = client_for(administrator).get(reverse("imports:api")).content.decode()
    assert "Ikke sat: hentningen er slået fra" in page


def test_hent_nu_queues_the_fetch_after_the_request_commits(
    api, client_for, administrator, eager_tasks, django_capture_on_commit_callbacks
):
    ExtractMapping.objects.exclude(table="Y30R21").update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(reverse("imports:api"))
    assert response.status_code == 302
    # The one mapped table, and the tables of full-time persons the budget follow-up reads whatever is mapped.
    assert sorted(api_imports().values_list("table", flat=True)) == sorted({"Y30R21", *FULL_TIME_TABLES})
    page = client_for(administrator).get(reverse("imports:list")).content.decode()
    assert "Jobindsats API" in page
