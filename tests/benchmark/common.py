"""Shared set-up for the benchmark scripts: a separate database per engine, Django configured."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/udvalgsportalen_bench")
DATABASES = {
    "sqlite": "sqlite:///" + str(ROOT / "var" / "bench.sqlite3"),
    "postgres": _POSTGRES,
    # The goals benchmark's data (bench_goals.py), built once and reused by it, the load and the backup
    # scripts: at 1× (10 years of monthly figures, 98 municipalities) and at 10× the history.
    "goals-sqlite": "sqlite:///" + str(ROOT / "var" / "bench-goals.sqlite3"),
    "goals": os.environ.get("BENCH_GOALS_URL", _POSTGRES + "_goals"),
    "goals-10x": os.environ.get("BENCH_GOALS_10X_URL", _POSTGRES + "_goals_10x"),
}


def setup_django(engine: str, redis: bool = False) -> None:
    """Point Django at the benchmark database `engine` (a key of DATABASES; created if missing) and migrate it.

    Without `redis` tasks run in-process, as the page benchmarks want; the fault scripts need the queue.
    """
    sys.path.insert(0, str(ROOT))
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = DATABASES[engine]
    if not redis:
        os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if DATABASES[engine].startswith("postgres"):
        import psycopg2

        url = DATABASES[engine]
        admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("select 1 from pg_database where datname = %s", [url.rsplit("/", 1)[1]])
            if not cursor.fetchone():
                cursor.execute(f'create database "{url.rsplit("/", 1)[1]}"')
        admin.close()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_seed_data", verbosity=0)


def timed(function, runs: int) -> dict:
    """Median and 95th percentile in milliseconds of `runs` calls (after one warm-up call)."""
    function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "runs": runs,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
    }
