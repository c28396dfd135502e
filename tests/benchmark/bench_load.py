"""Load: gunicorn + PostgreSQL + Redis on this machine; 50 committee members browse the dashboards and
10 caseworkers register sign-ups for 60 s (locust, headless). Reports requests/s, p50/p95/p99, errors.

    python tests/benchmark/bench_load.py [--seconds 60]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from common import ROOT, setup_django

PASSWORD = "Belastning-2026"


def prepare() -> tuple[int, dict]:
    """Users with sessions already logged in (the load is browsing, not password hashing), a coming fair,
    and the goals benchmark's data only (10 years of monthly figures for 98 municipalities)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.utils import timezone

    from events.models import Fair, FairSeries

    with connection.cursor() as cursor:  # rows left by bench_import.py are not a realistic series
        cursor.execute("DELETE FROM plans_observationchange")
        cursor.execute("DELETE FROM plans_observation WHERE data_import_id IS NOT NULL")
    hashed, sessions = make_password(PASSWORD), {"member": [], "caseworker": []}
    for role, prefix, group in (("member", "load-medlem-", "Udvalgsmedlem"), ("caseworker", "load-sagsbehandler-", "Sagsbehandler")):
        for n in range(10):
            user, _ = User.objects.update_or_create(username=f"{prefix}{n}", defaults={"password": hashed})
            user.groups.set([Group.objects.get(name=group)])
            session = SessionStore()
            session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                            HASH_SESSION_KEY: user.get_session_auth_hash()})  # fmt: skip
            session.create()
            sessions[role].append(session.session_key)
    fair, _ = Fair.objects.update_or_create(series=FairSeries.objects.get(), venue="Belastningstest Bibliotek",
                                            defaults={"date": timezone.localdate() + timedelta(days=30), "capacity": 100})  # fmt: skip
    fair.signups.all().delete()  # each run starts from an empty fair, as a real one would (30-40 citizens)
    return fair.pk, sessions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    from server import gunicorn, use_server_settings

    use_server_settings()
    setup_django("postgres")
    fair, sessions = prepare()

    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    with gunicorn() as url:
        env = dict(os.environ, BENCH_SESSIONS=json.dumps(sessions), BENCH_FAIR=str(fair))
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless", "-u", "60",
             "-r", "20", "-t", f"{args.seconds}s", "--host", url, "--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING"],
            env=env, check=False, capture_output=True,
        )  # fmt: skip
    with open(out / "load_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    dashboards = [r for name, r in rows.items() if name.startswith("dashboard")]
    summary = {
        "seconds": args.seconds, "users": "50 members + 10 caseworkers",
        "requests": int(total["Request Count"]), "errors": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"]),
        "dashboard_p95_ms": max(float(r["95%"]) for r in dashboards),
        "per_page": {name: {"requests": int(r["Request Count"]), "p50_ms": float(r["50%"]), "p95_ms": float(r["95%"]),
                            "errors": int(r["Failure Count"])} for name, r in rows.items() if name != "Aggregated"},
    }  # fmt: skip
    (out / "load.json").write_text(json.dumps(summary, indent=2))
    print(f"load benchmark: {summary['users']} for {args.seconds} s against gunicorn (5 sync workers) + PostgreSQL + Redis")
    print(f"  {summary['requests']} requests, {summary['requests_per_s']} req/s, {summary['errors']} errors; "
          f"p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms, p99 {summary['p99_ms']:.0f} ms")  # fmt: skip
    for name, r in summary["per_page"].items():
        print(f"  {name:32} {r['requests']:6} req  p50 {r['p50_ms']:6.0f} ms  p95 {r['p95_ms']:6.0f} ms  errors {r['errors']}")
    print(f"  worst dashboard p95: {summary['dashboard_p95_ms']:.0f} ms (target 200 ms)")


if __name__ == "__main__":
    main()
