"""Budget follow-up, key figures and data catalogue benchmark: the three pages of issue 25 with the full-time
persons of every table for all 98 municipalities and the whole country, at 5 and at 50 years of months.

    python tests/benchmark/bench_budget.py sqlite|postgres [--runs 30]

For each page it prints the median and 95th percentile of a member's first view (the page cache emptied
before each request), of a view from the page cache, the page's queries and its size; then each page at
50 years beside 5 (its queries must not grow; its time should not grow much, as the pages read three years).
"""

import argparse
import json
import time
from datetime import date
from decimal import Decimal

from common import ROOT, setup_django, timed

PAGES = {
    "budget follow-up (juni 2026)": ("budget:overview", "?aar=2026&opfoelgning=juni"),
    "key figures": ("keyfigures:overview", ""),
    "data catalogue": ("catalogue:list", ""),
}
AREAS = 98


def fill(years: int) -> int:
    """Every table's monthly figures for `years` years ending with 2026M10, for all municipalities and the country."""
    from django.db import transaction

    from plans.core.areas import MUNICIPALITIES, NATIONAL
    from plans.core.benefits import BUDGET_GROUPS, FULL_TIME_TABLES
    from plans.models import BenefitBudget, BenefitFigure, ComparisonGroup

    areas = sorted(MUNICIPALITIES)[:AREAS] + [NATIONAL]
    months = [date(2026 - y, m, 1) for y in range(years) for m in range(1, 13) if (2026 - y, m) <= (2026, 10)]
    expected = len(FULL_TIME_TABLES) * len(areas) * len(months)
    if BenefitFigure.objects.count() == expected:
        return expected
    with transaction.atomic():
        BenefitFigure.objects.all().delete()
        rows = []
        for table in FULL_TIME_TABLES:
            for area in areas:
                size = Decimal(170) if area == NATIONAL else Decimal(1)
                for month in months:
                    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
                    rows.append(
                        BenefitFigure(
                            table=table,
                            area=area,
                            period_code=f"{month.year}M{month.month:02d}",
                            period_start=month,
                            period_end=date.fromordinal(end.toordinal() - 1),
                            persons=500 * size,
                            full_time_persons=(400 + month.month) * size,
                            share_of_labour_force=Decimal("2.5"),
                            share_of_population=Decimal("1.9"),
                        )
                    )
                if len(rows) > 20000:
                    BenefitFigure.objects.bulk_create(rows, batch_size=5000)
                    rows = []
        BenefitFigure.objects.bulk_create(rows, batch_size=5000)
        for group in BUDGET_GROUPS:
            for year in range(2026 - years + 1, 2027):
                BenefitBudget.objects.update_or_create(group=group.key, year=year, defaults={"full_time_persons": 420})
        ComparisonGroup.objects.get_or_create(name="Bench", defaults={"areas": sorted(MUNICIPALITIES)[:10]})
    return expected


def measure(runs: int) -> dict:
    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user, _ = User.objects.get_or_create(username="bench-medlem")
    user.groups.set([Group.objects.get(name="Udvalgsmedlem")])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    results = {}
    for name, (route, query) in PAGES.items():
        url = reverse(route) + query
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        # Counted now: every request empties the connection's query log (Django's request_started signal).
        own = len([q for q in queries.captured_queries if "django_session" not in q["sql"]])

        def first_view(url=url):
            cache.clear()
            client.get(url)

        results[name] = {
            "first_view": timed(first_view, runs),
            "cached": timed(lambda url=url: client.get(url), runs),
            "queries": own,
            "kb": round(len(response.content) / 1024),
        }
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["sqlite", "postgres"])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_django(args.engine)
    report = {}
    for years in (5, 50):
        started = time.perf_counter()
        rows = fill(years)
        print(f"{years} years: {rows:,} rows ({time.perf_counter() - started:.1f} s to build)", flush=True)
        report[years] = measure(args.runs)
        for name, result in report[years].items():
            print(
                f"  {name:30} first view {result['first_view']['median_ms']:7.1f} ms "
                f"(p95 {result['first_view']['p95_ms']:.1f}), cached {result['cached']['median_ms']:5.1f} ms, "
                f"{result['queries']} queries, {result['kb']} kB",
                flush=True,
            )
    print("50 years beside 5 (first view, median):")
    for name in PAGES:
        small, large = report[5][name], report[50][name]
        ratio = large["first_view"]["median_ms"] / small["first_view"]["median_ms"]
        print(f"  {name:30} {ratio:.2f}x, queries {small['queries']} -> {large['queries']}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"budget-{args.engine}.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
