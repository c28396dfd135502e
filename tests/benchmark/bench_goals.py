"""Goals benchmark: 10 years of monthly observations for every indicator and 98 municipalities.

    python tests/benchmark/bench_goals.py sqlite|postgres [--runs 50]

Prints the overview's and a goal page's median and p95 response times and query counts.
"""

import argparse
import json
import time
from decimal import Decimal
from pathlib import Path

from common import ROOT, setup_django, timed

MUNICIPALITIES = 98
YEARS = 10


def generate():
    from django.conf import settings

    from plans.models import Indicator, Observation
    from plans.periods import parse_period
    from plans.services import status

    indicators = list(Indicator.objects.all())
    expected = len(indicators) * (MUNICIPALITIES + 1) * YEARS * 12
    if Observation.objects.count() == expected:
        return expected, 0.0
    Observation.objects.all().delete()
    started = time.perf_counter()
    areas = [settings.PORTAL_AREA] + [f"Kommune {n:02d}" for n in range(1, MUNICIPALITIES)] + ["Hele landet"]
    periods = [parse_period(f"{2016 + m // 12}M{m % 12 + 1:02d}") for m in range(YEARS * 12)]
    batch = []
    for indicator in indicators:
        for a, area in enumerate(areas):
            for m, period in enumerate(periods):
                value = Decimal(30 + (a * 7 + m * 3 + indicator.id) % 40)
                batch.append(Observation(indicator=indicator, area=area, period_code=period.code, period_start=period.start,
                                         period_end=period.end, value=value, comparison=Decimal(45)))  # fmt: skip
                if len(batch) == 10000:
                    Observation.objects.bulk_create(batch)
                    batch = []
    Observation.objects.bulk_create(batch)
    status.refresh()
    return expected, time.perf_counter() - started


def measure(runs: int) -> dict:
    from django.contrib.auth.models import Group, User
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user, _ = User.objects.get_or_create(username="bench-medlem")
    user.groups.set([Group.objects.get(name="Udvalgsmedlem")])
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host
    client.force_login(user)
    results = {}
    pages = {
        "overview": reverse("plans:goal_list"),
        "detail (6.1, two indicators)": reverse("plans:goal_detail", args=[2024, 6, 1]),
        "half-year report": reverse("plans:report") + "?halvaar=2025H2",
    }
    for name, url in pages.items():
        reset_queries()  # the debug query log is capped; a full one would count nothing
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        results[name] = {**timed(lambda: client.get(url), runs), "queries": len(queries)}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["sqlite", "postgres"])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup_django(args.engine)
    rows, seconds = generate()
    results = {"engine": args.engine, "observations": rows, "generate_s": round(seconds, 1), "pages": measure(args.runs)}
    print(f"goals benchmark on {args.engine}: {rows:,} observations (generated in {seconds:.1f} s)")
    for name, r in results["pages"].items():
        print(f"  {name:32} median {r['median_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   {r['queries']} queries")
    out = Path(ROOT / "bench-results")
    out.mkdir(exist_ok=True)
    (out / f"goals-{args.engine}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
