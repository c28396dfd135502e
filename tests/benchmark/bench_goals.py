"""Goals benchmark: monthly observations for every indicator and 98 municipalities, at 1× and 10× the history.

    python tests/benchmark/bench_goals.py sqlite|postgres [--runs 50]

The data is built once per database and reused while its row count matches: 1× is 10 years
(285,120 rows, database DATABASES["goals"]), 10× is 100 years (2.85 million rows, "goals-10x";
PostgreSQL only). For the overview, a goal page, the half-year report and the benchmark page it
prints, in the same run: the page as a member gets it the first time (rendered; the page cache
emptied before each request) and from the page cache, the SQL alone (the page's own queries run
again on the cursor), its queries and its size. Then the overview, the goal page and the report at 10× beside
1× (target ≤ 1.2 each).
Each database is measured in a process of its own (Django is set up once per process); the two take turns
rendering, request by request, so that the machine's load weighs on both alike.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
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


def measure(runs: int) -> tuple[dict, Callable[[str], float]]:
    """Each page's cost apart from rendering it (from the page cache, its SQL alone, its queries and size), and a
    function that renders a page once and returns the milliseconds."""
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
    results, urls = {}, {}
    for name, (route, args, query) in PAGES.items():
        url = urls[name] = reverse(route, args=args) + query
        cache.clear()
        reset_queries()  # the debug query log is capped; a full one would count nothing
        client.get(url)  # the session and the user's role are cached from here on, as on a busy server
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        own = [q for q in queries.captured_queries if "django_session" not in q["sql"]]
        results[name] = {
            "cached": timed(lambda url=url: client.get(url), runs),
            "sql_alone": _sql_alone(own, runs),
            "queries": len(queries),
            "kb": round(len(response.content) / 1024),
        }

    def render(name: str) -> float:
        cache.clear()  # the page is rendered, not served from the page cache
        started = time.perf_counter()
        client.get(urls[name])
        return (time.perf_counter() - started) * 1000

    return results, render


# The child answers on stdout in lines with this mark (anything else there, a library's warning say, is not read).
ANSWER = "bench-goals: "


def child(database: str, years: int, runs: int) -> None:
    """One database's process: it builds the data, prints what each page costs apart from rendering, then renders
    the page the parent names on each line of stdin and prints the milliseconds."""
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per request
    setup_django(database)
    rows, seconds = generate(years)
    pages, render = measure(runs)
    result = {"database": database, "years": years, "observations": rows, "generate_s": round(seconds, 1)}
    print(ANSWER + json.dumps({**result, "pages": pages}), flush=True)
    for line in sys.stdin:
        print(ANSWER + str(render(line.strip())), flush=True)


def _answer(process: subprocess.Popen) -> str:
    for line in process.stdout:
        if line.startswith(ANSWER):
            return line[len(ANSWER) :]
    raise RuntimeError(f"the benchmark's child stopped (exit code {process.wait()})")


def _stats(samples: list[float]) -> dict:
    """Median and 95th percentile, as common.timed reports them."""
    samples = sorted(samples)
    return {
        "runs": len(samples),
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
    }


def render_in_turns(children: list[tuple[subprocess.Popen, dict]], runs: int) -> None:
    """Each page rendered `runs` times in every database, the databases taking turns request by request (in
    alternating order): a load that comes and goes on the machine weighs on 1x and 10x alike, so their ratio
    holds where two runs one after the other differed by a fifth."""
    samples = {(index, page): [] for index in range(len(children)) for page in PAGES}
    for run in range(runs + 1):  # the first round warms up
        order = list(enumerate(children))
        for page in PAGES:
            for index, (process, _) in order if run % 2 else reversed(order):
                process.stdin.write(page + "\n")
                process.stdin.flush()
                milliseconds = float(_answer(process))
                if run:
                    samples[index, page].append(milliseconds)
    for index, (_, result) in enumerate(children):
        for page in PAGES:
            result["pages"][page]["rendered"] = _stats(samples[index, page])


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
        child(args.child[0], int(args.child[1]), args.runs)
        return

    def start(database, years) -> tuple[subprocess.Popen, dict]:
        command = [sys.executable, __file__, args.engine, "--runs", str(args.runs), "--child", database, str(years)]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return process, json.loads(_answer(process))  # one database built and measured before the next starts

    print(f"goals benchmark on {args.engine} (median, p95 of {args.runs} requests through Django's test client)")
    databases = (
        [("goals", YEARS), ("goals-10x", YEARS * 10)] if args.engine == "postgres" else [("goals-sqlite", YEARS)]
    )
    children = [start(database, years) for database, years in databases]
    render_in_turns(children, args.runs)
    for process, _ in children:
        process.stdin.close()
        process.wait()
    results = {"engine": args.engine, "1x": children[0][1]}
    _print(results["1x"])
    if args.engine == "postgres":
        results["10x"] = children[1][1]
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
