"""Load: gunicorn + PostgreSQL + Redis on this machine, each figure beside its floor measured in the same run.

    python tests/benchmark/bench_load.py [--seconds 60] [--knee 100,200,300,400] [--step-seconds 20]

1. Saturation: the members' page mix (overview, goal page, report, investments, fairs) and a
   trivial view (bench_urls.py: every middleware, nothing rendered) requested by 16 clients
   without pause for 10 s each; the mix's requests/s as a share of the trivial view's (target ≥ 0.4).
2. 50 committee members browse the dashboards and 10 caseworkers register sign-ups for 60 s
   (locust, headless): requests/s, p50/p95/p99 and errors per page (target p95 ≤ 150 ms, 0 errors).
   A page that lands on the login form counts as an error, not as a fast page.
3. The knee: the same users, more of them, in bounded steps (at most --knee users, --step-seconds
   each); the first step whose p95 passes 500 ms (target: above 300 users).
gunicorn binds a free port on 127.0.0.1 (or BENCH_PORT) and is checked to be this run's own
(server.py); the data is the goals benchmark's (bench_goals.py, built once and reused).
"""

import argparse
import csv
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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
    for role, prefix, group in (
        ("member", "load-medlem-", "Udvalgsmedlem"),
        ("caseworker", "load-sagsbehandler-", "Sagsbehandler"),
    ):
        for n in range(10):
            user, _ = User.objects.update_or_create(username=f"{prefix}{n}", defaults={"password": hashed})
            user.groups.set([Group.objects.get(name=group)])
            session = SessionStore()
            session.update(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "portal.auth.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            )
            session.create()
            sessions[role].append(session.session_key)
    fair, _ = Fair.objects.update_or_create(
        series=FairSeries.objects.get(),
        venue="Belastningstest Bibliotek",
        defaults={"date": timezone.localdate() + timedelta(days=30), "capacity": 100},
    )
    fair.signups.all().delete()  # each run starts from an empty fair, as a real one would (30-40 citizens)
    return fair.pk, sessions


# The members' pages of locustfile.py with its weights.
MIX = [
    ("/maal/", 4),
    ("/maal/2024/6.10/", 3),
    ("/maal/rapport/?halvaar=2025H2", 1),
    ("/investeringer/", 1),
    ("/arrangementer/", 1),
]


def saturate(url: str, paths: list[tuple[str, int]], cookie: str, seconds: float = 10, clients: int = 16) -> dict:
    """Requests/s when `clients` threads ask for `paths` (weighted) without pause; errors are non-200 answers."""
    host = urlsplit(url)
    stop, counts, errors, lock = time.monotonic() + seconds, [0], [0], threading.Lock()
    choices = [p for p, weight in paths for _ in range(weight)]

    def client():
        done = failed = 0
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            try:
                connection.request("GET", random.choice(choices), headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                failed += response.status != 200
            except OSError:
                failed += 1
            finally:
                connection.close()
            done += 1
        with lock:
            counts[0] += done
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests_per_s": round(counts[0] / (time.monotonic() - started), 1),
        "requests": counts[0],
        "errors": errors[0],
    }


def locust(url: str, sessions: dict, fair: int, users: int, seconds: int, name: str) -> dict:
    out = ROOT / "bench-results"
    env = dict(os.environ, BENCH_SESSIONS=json.dumps(sessions), BENCH_FAIR=str(fair))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(20, users // 3)),
            "-t",
            f"{seconds}s",
            "--host",
            url,
            "--csv",
            str(out / name),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        capture_output=True,
        timeout=seconds + 120,
    )
    with open(out / f"{name}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    dashboards = [r for name, r in rows.items() if name.startswith("dashboard")]
    return {
        "seconds": seconds,
        "users": users,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "dashboard_p95_ms": max(float(r["95%"]) for r in dashboards),
        "per_page": {
            name: {
                "requests": int(r["Request Count"]),
                "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]),
                "errors": int(r["Failure Count"]),
            }
            for name, r in rows.items()
            if name != "Aggregated"
        },
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--knee", default="100,200,300,400", help="user counts to step through (at most 1000)")
    parser.add_argument("--step-seconds", type=int, default=20)
    args = parser.parse_args()
    steps = sorted({min(int(n), 1000) for n in args.knee.split(",") if n.strip()})
    from server import gunicorn, use_server_settings

    use_server_settings()
    # The server's cache (Redis), so that the users and figures written here reach its cached users and pages.
    setup_django("goals", redis=True)
    import bench_goals

    bench_goals.generate()  # reused when the goals benchmark has built it
    fair, sessions = prepare()
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    summary = {}
    with gunicorn(database="goals") as url:
        cookie = f"sessionid={sessions['member'][0]}"
        saturate(url, MIX, cookie, seconds=3)  # warm: workers import, connect, fill the caches
        summary["trivial"] = saturate(url, [("/bench/trivial/", 1)], cookie)
        summary["page_mix"] = saturate(url, MIX, cookie)
        summary["page_mix_over_trivial"] = round(
            summary["page_mix"]["requests_per_s"] / summary["trivial"]["requests_per_s"], 2
        )
        summary["load"] = locust(url, sessions, fair, 60, args.seconds, "load")
        summary["knee"] = []
        for users in steps:
            step = locust(url, sessions, fair, users, args.step_seconds, f"knee-{users}")
            summary["knee"].append(
                {k: step[k] for k in ("users", "requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")}
            )
            if step["p95_ms"] > 500:
                break
    knee = next((s["users"] for s in summary["knee"] if s["p95_ms"] > 500), None)
    summary["knee_users"] = knee
    (out / "load.json").write_text(json.dumps(summary, indent=2))
    trivial, mix, load = summary["trivial"], summary["page_mix"], summary["load"]
    print("load benchmark: gunicorn (5 sync workers) + PostgreSQL + Redis, loopback, its own port")
    print(
        f"  saturation, 16 clients without pause: trivial view {trivial['requests_per_s']} req/s (the floor); "
        f"members' page mix {mix['requests_per_s']} req/s = {summary['page_mix_over_trivial']:.2f} x trivial "
        f"(target >= 0.4); errors {trivial['errors'] + mix['errors']}"
    )
    print(
        f"  50 members + 10 caseworkers for {args.seconds} s: {load['requests']} requests, {load['requests_per_s']} req/s, "
        f"{load['errors']} errors; p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms (target <= 150), "
        f"p99 {load['p99_ms']:.0f} ms"
    )
    for name, r in load["per_page"].items():
        print(
            f"    {name:32} {r['requests']:6} req  p50 {r['p50_ms']:6.0f} ms  p95 {r['p95_ms']:6.0f} ms  errors {r['errors']}"
        )
    for step in summary["knee"]:
        print(
            f"  knee step {step['users']:4} users ({args.step_seconds} s): {step['requests_per_s']:6.1f} req/s, "
            f"p95 {step['p95_ms']:.0f} ms, p99 {step['p99_ms']:.0f} ms, errors {step['errors']}"
        )
    print(
        f"  knee (p95 > 500 ms): {f'at {knee} users' if knee else f'not reached up to {steps[-1]} users'} (target: above 300)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
