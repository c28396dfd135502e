"""The plans app's part of the demo data set (portal.demo, registered in PlansConfig.ready).

Synthetic figures for every indicator of the plan in force, up to the last complete quarter before
`today`, and a benchmark ranking of all 98 municipalities. Each indicator's series is a formula of
the period (DemoSeries), chosen so that the goals show a believable mix of "På sporet", "I risiko"
and "Ikke nået" whatever the day.

What is the demo's, so that removal deletes exactly that and real data is never touched:
- observations: those of one DataImport record, DEMO_NAME with DEMO_CHECKSUM (no real file has it);
  a period that already has a figure (the seed's, a real import's) is left alone;
- benchmark periods: their code starts with DEMO_CODE (a real Y30R21 import never writes one);
- a threshold the plan leaves to the administration (2.1's "low level"): set only where empty, in
  the indicator's history with DEMO_NAME as the reason, and set back by removal unless an
  administrator has changed it since.
"""

import hashlib
import zlib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from plans.core.areas import MUNICIPALITIES
from plans.core.models import TOTAL_GROUP
from plans.evaluation import NEEDS_COMPARISON
from plans.models import (
    BenchmarkPeriod,
    BenchmarkRank,
    BenchmarkResult,
    DataImport,
    Goal,
    Indicator,
    Observation,
    ObservationChange,
    Plan,
    RatioPart,
)
from plans.services import status
from portal.periods import Period, add_months, parse_period, quarter_of

DEMO_NAME = "Demodata (syntetiske tal)"
DEMO_CHECKSUM = hashlib.sha256(b"udvalgsportalen:demodata").hexdigest()
DEMO_CODE = "DEMO-"
REMOVED_REASON = "Demodata fjernet"
YEARS = 3  # of history before the newest period: enough for a trend and last year's comparison
BENCHMARK_PERIODS = 4


@dataclass(frozen=True)
class DemoSeries:
    """value = base + trend × years since 2024 + season[period of the year] + noise × a fixed jitter in [-1, 1].

    `gap` makes a comparison series: comparison = value's formula without noise, and the value is
    the comparison plus `gap` (so the distance to it, which the rule judges, stays the same).
    """

    base: float
    trend: float = 0.0
    season: tuple[float, ...] = (0.0,)
    noise: float = 0.0
    gap: float | None = None
    threshold: str | None = None  # where the plan sets none: the demo's (2.1)
    period: str = ""  # "month" or "mat" where the goal's frequency does not say it


# Per goal and indicator position. The intended status is in the comment; the margins to the targets
# (the seed's rules) are wider than the noise.
SERIES: dict[tuple[str, int], DemoSeries] = {
    ("1.1", 1): DemoSeries(0, period="mat"),  # på sporet: actual below expected, from the benchmark (_norddjurs)
    ("1.2", 1): DemoSeries(77.0, 0.2, (-0.4, 0.4), 0.3),  # i risiko: 2-3 pp under 80 %
    ("1.3", 1): DemoSeries(72.5, 0.3, (-0.5, 0.5), 0.4),  # på sporet
    ("2.1", 1): DemoSeries(5, 0, (1, 0, -1, 1), 1, threshold="8"),  # på sporet: at most 8 a quarter
    ("2.2", 1): DemoSeries(880, -35, noise=5),  # på sporet: fewer each year
    ("2.2", 2): DemoSeries(9.6, 0.3, noise=0.05),  # ikke nået: the share grows
    ("3.1", 1): DemoSeries(150, 12, (10, -10), 3),  # på sporet
    ("4.1", 1): DemoSeries(46.0, 0.6, (-0.3, 0.3), 0.2, gap=-1.8),  # i risiko: 0.8 pp beyond the tolerance
    ("5.1", 1): DemoSeries(12.8, -0.2, (0.2, -0.2), 0.2, gap=-1.4),  # på sporet: lower than the country
    ("5.2", 1): DemoSeries(312, 0, (-4, 4)),  # i risiko: the same as a year before (the rule wants more)
    ("6.1", 1): DemoSeries(84, 0.3, (-1, 1), 0.5, gap=1.5),  # på sporet
    ("6.1", 2): DemoSeries(56, 0.5, (-6, -4, 0, 3, 5, 2, -5, -7, 1, 4, 5, 2), 2, period="month"),  # på sporet
    ("6.2", 1): DemoSeries(58, 0.2, (-1, 1), 0.5, gap=-6.5),  # ikke nået
    ("6.3", 1): DemoSeries(30.8, 0, (-0.3, 0.3), 0.3),  # ikke nået: about 4 pp under 35 %
    ("6.4", 1): DemoSeries(61, 0.8, (-0.5, 0.5), 0.15),  # på sporet
    ("6.5", 1): DemoSeries(57.5, 0.1, (-0.3, 0.3), 0.4),  # på sporet
    ("6.6", 1): DemoSeries(83, 1.5),  # på sporet: faster than the line to 90 % in 2030
    ("6.7", 1): DemoSeries(12.0, -0.1, gap=1.6, noise=0.2),  # i risiko
    ("6.8", 1): DemoSeries(84, 0.3, noise=0.5),  # på sporet
    ("6.9", 1): DemoSeries(18, 0.9, (0.4, -0.4), 0.15),  # på sporet
    ("6.10", 1): DemoSeries(27, -0.6, (-0.5, 0.5), 0.1),  # ikke nået: fewer than a year before
    ("6.11", 1): DemoSeries(46.5, 0.2, (-0.5, 0.5), 0.3, gap=2.5),  # på sporet: 1.5 pp inside the limit
    ("6.12", 1): DemoSeries(85, 8, (5, -5), 2),  # på sporet
    ("6.13", 1): DemoSeries(52, 3, (-2, 2), 0.8),  # på sporet
}

# The benchmark's benefit groups as Y30R21 names them, with Norddjurs' expected number at the start of
# 2024, its change a year and how far the actual number lies from it.
BENEFIT_GROUPS = [
    ("A-dagpenge mv.", 600, -10, -0.035),
    ("Sygedagpenge mv.", 810, -5, -0.08),
    ("Kontanthjælp mv.", 970, -20, 0.03),
]


def _jitter(*parts) -> float:
    """A fixed number in [-1, 1] for these parts: the same figures on every run."""
    return zlib.crc32(":".join(map(str, parts)).encode()) / 0xFFFFFFFF * 2 - 1


def _years(period: Period) -> float:
    return period.end.year - 2024 + period.end.month / 12


def _season_index(period: Period) -> int:
    month = period.end.month
    return {"month": month - 1, "quarter": (month - 1) // 3, "half": (month - 1) // 6, "mat": (month - 1) // 6}.get(
        period.kind, 0
    )


def last_complete_quarter(today: date) -> Period:
    return quarter_of(add_months(quarter_of(today).start, -3))


def periods(kind: str, today: date) -> list[Period]:
    """The periods of `kind` that end by the last complete quarter before `today`, YEARS years back, oldest first."""
    last = last_complete_quarter(today).end
    step = {"month": 1, "quarter": 3, "half": 6, "mat": 6, "year": 12}[kind]
    newest_end = add_months(date(last.year, last.month, 1), -(last.month % step))  # the month the newest one ends
    found = []
    for back in range(YEARS * 12 // step + 1):
        month = add_months(newest_end, -back * step)
        if kind == "month":
            code = f"{month.year}M{month.month:02d}"
        elif kind == "quarter":
            code = f"{month.year}Q{month.month // 3}"
        elif kind == "half":
            code = f"{month.year}H{month.month // 6}"
        elif kind == "mat":
            code = f"{month.year}QMAT{month.month // 3:02d}"
        else:
            code = str(month.year)
        found.append(parse_period(code))
    return found[::-1]


def _kind(goal: Goal, series: DemoSeries) -> str:
    return series.period or {"kvartalsvis": "quarter", "halvaarlig": "half", "aarlig": "year"}[goal.frequency]


def _round(value: float, indicator: Indicator) -> Decimal:
    """As a share (one decimal, 0-100 %) or a count (whole, not negative) is written."""
    share = indicator.unit == Indicator.Unit.PERCENT
    number = max(
        Decimal(str(value)).quantize(Decimal("0.1") if share else Decimal(1), rounding=ROUND_HALF_UP), Decimal(0)
    )
    return min(number, Decimal(100)) if share else number


def figure(indicator: Indicator, series: DemoSeries, period: Period) -> tuple[Decimal, Decimal | None]:
    """The demo's value and comparison for one period."""
    if series.period == "mat":  # 1.1: the benchmark's total, expected as the comparison
        expected, actual = _norddjurs(period)[TOTAL_GROUP]
        return Decimal(actual), Decimal(expected)
    t = _years(period)
    trend = series.base + series.trend * t + series.season[_season_index(period) % len(series.season)]
    value = trend + series.noise * _jitter(indicator.goal.code, indicator.position, period.code)
    if series.gap is not None:
        value += series.gap
    comparison = _round(trend, indicator) if indicator.rule in NEEDS_COMPARISON else None
    return _round(value, indicator), comparison


def _norddjurs(period: Period) -> dict[str, tuple[int, int]]:
    """Norddjurs' expected and actual full-time persons per benefit group, and their total."""
    t = _years(period)
    figures = {}
    for name, expected, change, off in BENEFIT_GROUPS:
        e = round(expected + change * t + 12 * _jitter("Norddjurs", name, period.code))
        figures[name] = (e, round(e * (1 + off)))
    figures[TOTAL_GROUP] = tuple(sum(f[i] for f in figures.values()) for i in (0, 1))
    return figures


def _municipality(area: str, period: Period) -> dict[str, tuple[int, int]]:
    if area == settings.PORTAL_AREA:
        return _norddjurs(period)
    size = 300 + zlib.crc32(area.encode()) % 9000  # full-time persons on public support, all groups
    figures = {}
    for (name, _expected, _change, _off), share in zip(BENEFIT_GROUPS, (0.25, 0.34, 0.41), strict=True):
        e = round(size * (share + 0.03 * _jitter(area, name)))
        off = 0.09 * _jitter(area, name, "niveau") + 0.015 * _jitter(area, name, period.code)
        figures[name] = (e, round(e * (1 + off)))
    figures[TOTAL_GROUP] = tuple(sum(f[i] for f in figures.values()) for i in (0, 1))
    return figures


def demo_import() -> DataImport | None:
    return DataImport.objects.filter(original_name=DEMO_NAME, checksum=DEMO_CHECKSUM).first()


def load(today: date) -> None:
    plan = Plan.objects.in_force(today)
    if plan is None:
        return
    indicators = list(Indicator.objects.filter(goal__plan=plan).select_related("goal"))
    record = demo_import() or DataImport.objects.create(
        original_name=DEMO_NAME,
        checksum=DEMO_CHECKSUM,
        size=0,
        state=DataImport.State.DONE,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        notes=["Syntetiske tal til demonstration af portalen. De fjernes med manage.py remove_demo_data."],
    )
    _set_missing_thresholds(indicators)
    existing = set(
        Observation.objects.filter(indicator__in=indicators, area=settings.PORTAL_AREA).values_list(
            "indicator_id", "period_code"
        )
    )
    new = []
    for indicator in indicators:
        series = SERIES.get((indicator.goal.code, indicator.position))
        if series is None:
            continue
        for period in periods(_kind(indicator.goal, series), today):
            if (indicator.id, period.code) in existing:
                continue
            value, comparison = figure(indicator, series, period)
            new.append(
                Observation(
                    indicator=indicator,
                    area=settings.PORTAL_AREA,
                    period_code=period.code,
                    period_start=period.start,
                    period_end=period.end,
                    value=value,
                    comparison=comparison,
                    source_note=DEMO_NAME,
                    data_import=record,
                )
            )
    Observation.objects.bulk_create(new)
    if new:
        count = Observation.objects.filter(data_import=record).count()
        DataImport.objects.filter(pk=record.pk).update(
            rows_total=count, rows_processed=count, rows_imported=count, observations_changed=count
        )
    _load_benchmark(today)
    status.refresh([i.id for i in indicators], today=today)  # bumps the page cache (bulk writes send no signals)


def _set_missing_thresholds(indicators: list[Indicator]) -> None:
    for indicator in indicators:
        series = SERIES.get((indicator.goal.code, indicator.position))
        if series and series.threshold and indicator.threshold is None:
            indicator.threshold = Decimal(series.threshold)
            indicator._change_reason = DEMO_NAME  # django-simple-history: the reason in the indicator's history
            indicator.save(update_fields=["threshold"])


def _load_benchmark(today: date) -> None:
    descriptions = dict(BenchmarkResult.objects.exclude(description="").values_list("benefit_group", "description"))
    groups = [name for name, *_rest in BENEFIT_GROUPS] + [TOTAL_GROUP]
    for period in periods("mat", today)[-BENCHMARK_PERIODS:]:
        with translation.override(settings.LANGUAGE_CODE):  # stored in Danish, as an import stores it
            label = period.label
        record, created = BenchmarkPeriod.objects.get_or_create(
            code=DEMO_CODE + period.code, defaults={"label": label, "note": DEMO_NAME}
        )
        if not created:  # the demo's figures are fixed: a period written once is complete
            continue
        figures = {area: _municipality(area, period) for area in MUNICIPALITIES}
        ranks = []
        for position, group in enumerate(groups, start=1):
            # Lowest actual against expected first, as the minister's list ranks them.
            order = sorted(figures, key=lambda area: ((figures[area][group][1] / figures[area][group][0]), area))
            for rank, area in enumerate(order, start=1):
                expected, actual = figures[area][group]
                ranks.append(
                    BenchmarkRank(
                        period=record, benefit_group=group, area=area, expected=expected, actual=actual, rank=rank
                    )
                )
                if area == settings.PORTAL_AREA:
                    BenchmarkResult.objects.create(
                        period=record,
                        position=position,
                        benefit_group=group,
                        description=descriptions.get(group, ""),
                        expected=expected,
                        actual=actual,
                        rank=rank,
                    )
        BenchmarkRank.objects.bulk_create(ranks)


def remove(today: date) -> None:
    record = demo_import()
    if record is not None:
        ObservationChange.objects.filter(Q(set_by_import=record) | Q(replaced_by_import=record)).delete()
        Observation.objects.filter(data_import=record).delete()
        RatioPart.objects.filter(data_import=record).delete()
        record.delete()
    BenchmarkPeriod.objects.filter(code__startswith=DEMO_CODE).delete()
    _restore_thresholds()
    status.refresh(today=today)


def _restore_thresholds() -> None:
    """Empty again each threshold the demo set, unless it has been changed since (its newest history is not the demo's)."""
    for indicator_id in set(Indicator.history.filter(history_change_reason=DEMO_NAME).values_list("id", flat=True)):
        newest, *before = Indicator.history.filter(id=indicator_id).order_by("-history_date", "-history_id")[:2]
        if newest.history_change_reason != DEMO_NAME:
            continue
        indicator = Indicator.objects.filter(pk=indicator_id).first()
        if indicator is not None:
            indicator.threshold = before[0].threshold if before else None
            indicator._change_reason = REMOVED_REASON
            indicator.save(update_fields=["threshold"])
