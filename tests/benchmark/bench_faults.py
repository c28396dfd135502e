"""Fault scripts: what happens, and what is lost, when a part of the production set-up fails.

    python tests/benchmark/bench_faults.py [redis|worker|postgres ...]

1. redis:    Redis stops during an upload. The upload must be kept and imported once Redis is back.
2. worker:   the Celery worker is killed (SIGKILL) in the middle of a 1,000,000-row import. No
             observation may be half-applied; a new worker completes the import.
3. postgres: PostgreSQL restarts while gunicorn serves requests. Requests fail cleanly (the Danish
             500 page, no hang) and the portal recovers by itself.
Everything runs on this machine (loopback only); the script restarts whatever it stopped.
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from common import ROOT, setup_django

REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return time.monotonic()
        time.sleep(0.5)
    raise RuntimeError(f"timed out waiting for {what}")


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode == 0


def admin():
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="fault-administrator")
    user.groups.set([Group.objects.get(name="Administrator")])
    return user


def fault_redis() -> dict:
    from django.core.files.base import ContentFile
    from django.db import transaction
    from server import celery_worker

    from plans.imports import service as imports
    from plans.imports.tasks import queue
    from plans.models import DataImport

    prefix = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "
    period = f"{2000 + int(time.time()) % 90}QMAT02"  # a period of its own: the import must change something
    content = (
        f"Area;Periode;Ydelsesgrupper;{prefix}Forventet antal;{prefix}Faktisk antal\n"
        f"Norddjurs;{period};Ydelsesgrupper i alt;2190;2140\nSyddjurs;{period};Ydelsesgrupper i alt;2500;2460\n"
    )
    with celery_worker():
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True)
        wait_for(lambda: not redis_up(), 10, "Redis to stop")
        started = time.monotonic()
        with transaction.atomic():
            record = imports.create(ContentFile(content.encode(), name="redis-nede.csv"), admin())
            transaction.on_commit(lambda: queue(record.pk))  # as the upload view does
        upload_seconds = time.monotonic() - started
        record.refresh_from_db()
        kept = record.state == DataImport.State.QUEUED and Path(record.file.path).exists()
        subprocess.run(REDIS_START, check=True, capture_output=True)
        wait_for(redis_up, 20, "Redis to start")
        time.sleep(3)  # the worker reconnects by itself
        for pk in imports.waiting(queued_minutes=0):  # what beat does every 5 minutes
            queue(pk)
        wait_for(lambda: DataImport.objects.get(pk=record.pk).is_finished, 120, "the import")
    record.refresh_from_db()
    lost = (
        []
        if kept and record.state == DataImport.State.DONE and record.observations_changed == 2
        else [f"state {record.state}"]
    )
    return {
        "upload_while_redis_down_s": round(upload_seconds, 1),
        "kept_as_queued": kept,
        "final_state": record.state,
        "observations_written": record.observations_changed,
        "lost": lost or "nothing",
    }


def fault_worker() -> dict:
    import bench_import
    from django.core.files import File
    from django.db import connection
    from django.utils import timezone
    from server import celery_worker

    from plans.imports import service as imports
    from plans.imports.tasks import queue
    from plans.models import DataImport, ExtractMapping, Indicator, Observation

    rows = bench_import.generate()
    if not ExtractMapping.objects.filter(table="BENCH").exists():
        indicators = Indicator.objects.filter(unit=Indicator.Unit.PERCENT).order_by("id")[: len(bench_import.GROUPS)]
        for group, indicator in zip(bench_import.GROUPS, indicators):
            ExtractMapping.objects.create(
                indicator=indicator,
                table="BENCH",
                measure=bench_import.MEASURE,
                comparison_area="Hele landet",
                filters={"Ydelsesgrupper": group},
            )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_observationchange")
        cursor.execute("DELETE FROM plans_observation WHERE data_import_id IS NOT NULL")
    with celery_worker() as worker:
        with bench_import.EXTRACT.open("rb") as handle:
            record = imports.create(File(handle, name="stor-udtraek.csv"), admin())
        queue(record.pk)
        wait_for(
            lambda: DataImport.objects.get(pk=record.pk).state == DataImport.State.RUNNING, 60, "the import to start"
        )
        time.sleep(4)  # well inside validation
        worker.kill()  # SIGKILL: no chance to clean up
        worker.wait()
    record.refresh_from_db()
    half_applied = Observation.objects.filter(data_import=record).count()
    with celery_worker():
        # What beat does once the dead import's lease has run out (STALLED_AFTER without a heartbeat).
        DataImport.objects.filter(pk=record.pk).update(heartbeat_at=timezone.now() - imports.STALLED_AFTER)
        for pk in imports.waiting(queued_minutes=0):
            queue(pk)
        wait_for(lambda: DataImport.objects.get(pk=record.pk).is_finished, 300, "the import to finish")
    record.refresh_from_db()
    written = Observation.objects.filter(data_import=record).count()
    lost = (
        []
        if half_applied == 0 and record.state == DataImport.State.DONE and written == rows
        else [f"{rows - written} rows"]
    )
    return {
        "state_when_killed": "koerer",
        "observations_after_kill": half_applied,
        "final_state": record.state,
        "attempts": record.attempts,
        "observations_written": written,
        "rows": rows,
        "lost": lost or "nothing",
    }


def fault_postgres() -> dict:
    from bench_load import prepare
    from server import gunicorn

    _, sessions = prepare()
    cookie = f"sessionid={sessions['member'][0]}"
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    results, stop, server = [], threading.Event(), {}

    def browse():
        while not stop.is_set():
            started = time.monotonic()
            request = urllib.request.Request(server["url"] + "/maal/", headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=15) as response:
                    outcome = response.status
            except urllib.error.HTTPError as error:
                outcome = (
                    error.code
                    if b"Der opstod en fejl" in error.read() or error.code != 500
                    else "500 without the error page"
                )
            except OSError as error:
                outcome = type(error).__name__
            results.append((started, outcome, time.monotonic() - started))

    with gunicorn() as server["url"]:
        threads = [threading.Thread(target=browse) for _ in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(10)
        restart_at = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, capture_output=True
        )
        back_at = time.monotonic()
        time.sleep(15)
        stop.set()
        for thread in threads:
            thread.join()
    before = Counter(o for t, o, _ in results if t < restart_at)
    during = Counter(o for t, o, _ in results if restart_at <= t <= back_at + 2)
    after = Counter(o for t, o, _ in results if t > back_at + 5)
    slowest = max(d for _, _, d in results)
    recovered = set(after) == {200}
    return {
        "restart_took_s": round(back_at - restart_at, 1),
        "before": dict(before),
        "during": dict(during),
        "after": dict(after),
        "slowest_request_s": round(slowest, 1),
        "recovered": recovered,
        "lost": "nothing (the load only reads)" if recovered else "did not recover",
    }


def main():
    wanted = sys.argv[1:] or ["redis", "worker", "postgres"]
    from server import use_server_settings

    use_server_settings()
    setup_django("postgres", redis=True)
    report = {}
    try:
        for name in wanted:
            report[name] = {"redis": fault_redis, "worker": fault_worker, "postgres": fault_postgres}[name]()
            print(f"fault '{name}': {json.dumps(report[name], ensure_ascii=False)}")
    finally:
        if not redis_up():
            subprocess.run(REDIS_START, check=False)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "faults.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
