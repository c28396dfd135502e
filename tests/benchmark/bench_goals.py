"""Goals benchmark: monthly observations for every indicator and 98 municipalities, at 1× and 10× the history.

    python tests/benchmark/bench_goals.py sqlite|postgres [--runs 50]

The data is built once per database and reused while its row count matches: 1× is 10 years
(285,120 rows, database DATABASES["goals"]), 10× is 100 years (2.85 million rows, "goals-10x";
PostgreSQL only). For the overview, a goal page, the half-year report and the benchmark page it
prints, in the same run: the page as a member gets it the first time (rendered; the page cache
emptied before each request) and from the page cache, the SQL alone (the page's own queries run
again on the cursor), its queries and its size. Then the overview, the goal page and the report at 10× beside
1× (target ≤ 1.2 each).
Each database is measured in a fresh process (Django is set up once per process).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from common import ROOT, setup_django, timed

MUNICIPALITIES = 98
YEARS = 10
PAGES = {
    "overview": ("plans:goal_list", [], ""),
    "goal page (6.1, two indicators)": ("plans:goal_detail", [2024, 6, 1], ""),
    "half-year report": ("plans:report", [], "?halvaar=2025H2"),
    "benchmark": ("plans:benchmark", [], ""),
}
# The pages that read the goals' figures: at 10x the history each should take at most 1.2 times as long as at 1x.
GROWTH_PAGES = ("overview", "goal page (6.1, two indicators)", "half-year report")


def generate(years: int = YEARS):
    """Fill the current database with `years` of monthly figures, unless it already holds exactly those."""
    from django.conf import settings
    from django.db import connection

    from plans.models import Indicator, Observation
    from plans.services import status
    from portal.periods import parse_period

    indicators = list(Indicator.objects.all())
    expected = len(indicators) * (MUNICIPALITIES + 1) * years * 12
    # The seed's own figures carry a source note, and the seed loader adds them back before every run.
    if Observation.objects.filter(source_note="").count() == expected:
        return expected, 0.0
    with connection.cursor() as cursor:  # the ORM's delete() would load every row
        cursor.execute("DELETE FROM plans_observationchange")
        cursor.execute("DELETE FROM plans_observation")
    started = time.perf_counter()
    areas = [settings.PORTAL_AREA] + [f"Kommune {n:02d}" for n in range(1, MUNICIPALITIES)] + ["Hele landet"]
    first = 2026 - years
    periods = [parse_period(f"{first + m // 12}M{m % 12 + 1:02d}") for m in range(years * 12)]
    if connection.vendor == "postgresql":
        from django.utils import timezone

        now = timezone.now().isoformat()
        for indicator in indicators:  # one COPY per indicator: about 120,000 rows at 100 years
            buffer = io.StringIO()
            for a, area in enumerate(areas):
                for m, period in enumerate(periods):
                    value = 30 + (a * 7 + m * 3 + indicator.id) % 40
                    buffer.write(
                        f"{indicator.id}\t{area}\t{period.code}\t{period.start}\t{period.end}\t{value}\t45\t\t{now}\n"
                    )
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    "COPY plans_observation (indicator_id, area, period_code, period_start, period_end, value, comparison, "
                    "source_note, updated_at) FROM STDIN",
                    buffer,
                )
        # As autovacuum leaves the table soon after an import: its visibility map lets index-only scans (the
        # report's half-years) skip the table's rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE plans_observation")
    else:
        batch = []
        for indicator in indicators:
            for a, area in enumerate(areas):
                for m, period in enumerate(periods):
                    value = Decimal(30 + (a * 7 + m * 3 + indicator.id) % 40)
                    batch.append(
                        Observation(
                            indicator=indicator,
                            area=area,
                            period_code=period.code,
                            period_start=period.start,
                            period_end=period.end,
                            value=value,
                            comparison=Decimal(45),
                        )
                    )
                    if len(batch) == 10000:
                        Observation.objects.bulk_create(batch)
                        batch = []
        Observation.objects.bulk_create(batch)
    status.refresh()
    return expected, time.perf_counter() - started


def _sql_alone(queries: list[dict], runs: int) -> dict:
    """The captured queries run again, one after another, on the same connection: the page's floor."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query["sql"])
                cursor.fetchall()

    return timed(run, runs)


def measure(runs: int) -> dict:
    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user, _ = User.objects.get_or_create(username="bench-medlem")
    user.groups.set([Group.objects.get(name="Udvalgsmedlem")])
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host
    client.force_login(user)
    results = {}
    for name, (route, args, query) in PAGES.items():
        url = reverse(route, args=args) + query
        cache.clear()
        reset_queries()  # the debug query log is capped; a full one would count nothing
        client.get(url)  # the session and the user's role are cached from here on, as on a busy server
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        own = [q for q in queries.captured_queries if "django_session" not in q["sql"]]

        def rendered(url=url):
            cache.clear()  # every request renders the page
            client.get(url)

        results[name] = {
            "rendered": timed(rendered, runs),
            "cached": timed(lambda url=url: client.get(url), runs),
            "sql_alone": _sql_alone(own, runs),
            "queries": len(queries),
            "kb": round(len(response.content) / 1024),
        }
    return results


def child(database: str, years: int, runs: int) -> dict:
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per request
    setup_django(database)
    rows, seconds = generate(years)
    return {
        "database": database,
        "years": years,
        "observations": rows,
        "generate_s": round(seconds, 1),
        "pages": measure(runs),
    }


def _print(result: dict) -> None:
    print(
        f"  {result['observations']:,} observations, {result['years']} years"
        + (f" (generated in {result['generate_s']:.0f} s)" if result["generate_s"] else " (reused)")
    )
    print(f"  {'page':34} {'rendered':>17} {'from cache':>12} {'SQL alone':>11} {'queries':>8} {'size':>7}")
    for name, r in result["pages"].items():
        print(
            f"  {name:34} {r['rendered']['median_ms']:6.1f} ms (p95 {r['rendered']['p95_ms']:5.1f}) "
            f"{r['cached']['median_ms']:7.1f} ms {r['sql_alone']['median_ms']:8.1f} ms {r['queries']:8} {r['kb']:5} KB"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["sqlite", "postgres"])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--child", nargs=2, metavar=("DATABASE", "YEARS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.runs)))
        return

    def run(database, years):
        command = [sys.executable, __file__, args.engine, "--runs", str(args.runs), "--child", database, str(years)]
        return json.loads(
            subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()[-1]
        )

    results = {"engine": args.engine}
    print(f"goals benchmark on {args.engine} (median, p95 of {args.runs} requests through Django's test client)")
    results["1x"] = run("goals" if args.engine == "postgres" else "goals-sqlite", YEARS)
    _print(results["1x"])
    if args.engine == "postgres":
        results["10x"] = run("goals-10x", YEARS * 10)
        _print(results["10x"])
        results["10x_over_1x"] = {}
        for page in GROWTH_PAGES:
            one, ten = results["1x"]["pages"][page], results["10x"]["pages"][page]
            ratio = ten["rendered"]["median_ms"] / one["rendered"]["median_ms"]
            results["10x_over_1x"][page] = round(ratio, 2)
            print(
                f"  {page} at 10x history: {ten['rendered']['median_ms']:.1f} ms beside "
                f"{one['rendered']['median_ms']:.1f} ms at 1x = {ratio:.2f}x (target <= 1.2); "
                f"{ten['kb']} KB beside {one['kb']} KB"
            )
    out = Path(ROOT / "bench-results")
    out.mkdir(exist_ok=True)
    (out / f"goals-{args.engine}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
