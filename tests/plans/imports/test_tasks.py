"""End to end with Redis and a real Celery worker process (runs in CI; skipped without REDIS_URL)."""

import time
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.evaluation import Status
from plans.models import DataImport, Indicator

PREFIX = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail("timed out waiting for the worker")


def benchmark_csv(period: str) -> bytes:
    # A Y30R21 file carries the benchmark's rank; one without it is refused (docs/imports.md).
    header = ["Area", "Periode", "Ydelsesgrupper", PREFIX + "Forventet antal", PREFIX + "Faktisk antal"]
    header.append("Placering på benchmarkranglisten")
    rows = [
        ["Norddjurs", period, "Ydelsesgrupper i alt", "2190", "2140", "23"],
        ["Syddjurs", period, "Ydelsesgrupper i alt", "2500", "2460", "41"],
    ]
    return ("\r\n".join(";".join(r) for r in [header, *rows]) + "\r\n").encode("utf-8")


def test_upload_is_imported_by_the_worker_and_changes_the_goal_status(reference_data, celery_worker_process, client):
    admin = User.objects.create_user("admin-e2e", password="x" * 12)
    admin.groups.add(Group.objects.get(name="Administrator"))
    client.force_login(admin)
    goal = Indicator.objects.get(goal__major=1, goal__minor=1)
    assert goal.status == Status.MISSING_DATA  # the seed's 2021 figure is too old

    # The newest half-year-aligned moving annual total that has ended.
    today = date.today()
    period = f"{today.year}QMAT02" if today.month > 6 else f"{today.year - 1}QMAT04"
    response = client.post(
        reverse("imports:list"), {"files": [SimpleUploadedFile("y30r21.csv", benchmark_csv(period))]}
    )
    record = DataImport.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[record.pk])

    wait_for(lambda: DataImport.objects.get(pk=record.pk).is_finished)
    record.refresh_from_db()
    assert record.state == DataImport.State.DONE, record.errors
    assert (record.rows_imported, record.observations_changed, record.attempts) == (2, 2, 1)
    wait_for(lambda: Indicator.objects.get(pk=goal.pk).status == Status.ON_TRACK)  # 2.140 < 2.190 expected

    page = client.get(reverse("plans:goal_list")).content.decode()
    assert "På sporet" in page
    status = client.get(reverse("imports:status", args=[record.pk])).json()
    assert status["finished"] and status["rows_processed"] == status["rows_total"] == 2
