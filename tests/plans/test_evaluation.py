"""The one evaluator, table-driven: every rule kind and its edges."""

from datetime import date
from decimal import Decimal as D

import pytest

from plans.evaluation import Point, RuleKind, Status, TargetRule, evaluate, fixed_target, target_line
from portal.periods import parse_period

TODAY = date(2025, 2, 1)
ON, RISK, MISS, NOT = Status.ON_TRACK, Status.AT_RISK, Status.MISSING_DATA, Status.NOT_MET


def P(code, value, comparison=None):
    return Point(parse_period(code), D(str(value)), None if comparison is None else D(str(comparison)))


def R(kind, **kw):
    kw.setdefault("frequency_months", 6)
    kw = {
        k: D(str(v)) if k in ("threshold", "tolerance", "risk_margin", "baseline_value") else v for k, v in kw.items()
    }
    return TargetRule(kind=kind, **kw)


CASES = [
    # (case, rule, points, expected status)
    ("at least: above", R(RuleKind.AT_LEAST, threshold=80, risk_margin=5), [P("2024H2", 83)], ON),
    ("at least: exactly the threshold", R(RuleKind.AT_LEAST, threshold=80, risk_margin=5), [P("2024H2", 80)], ON),
    ("at least: near miss", R(RuleKind.AT_LEAST, threshold=80, risk_margin=5), [P("2024H2", 76.5)], RISK),
    ("at least: risk margin edge", R(RuleKind.AT_LEAST, threshold=80, risk_margin=5), [P("2024H2", 75)], RISK),
    ("at least: missed", R(RuleKind.AT_LEAST, threshold=80, risk_margin=5), [P("2024H2", 74.9)], NOT),
    (
        "more than (strict): exactly",
        R(RuleKind.AT_LEAST, threshold=80, strict=True, risk_margin=5),
        [P("2024H2", 80)],
        RISK,
    ),
    ("more than (strict): above", R(RuleKind.AT_LEAST, threshold=80, strict=True), [P("2024H2", 80.1)], ON),
    ("at least: no threshold set", R(RuleKind.AT_LEAST), [P("2024H2", 80)], MISS),
    ("at most: low", R(RuleKind.AT_MOST, threshold=5), [P("2024Q4", 3)], ON),
    ("at most: exactly", R(RuleKind.AT_MOST, threshold=5), [P("2024Q4", 5)], ON),
    ("at most: above", R(RuleKind.AT_MOST, threshold=5), [P("2024Q4", 6)], NOT),
    ("at most: threshold not set", R(RuleKind.AT_MOST), [P("2024Q4", 1)], MISS),
    (
        "follow: better than national",
        R(RuleKind.FOLLOW_COMPARISON, tolerance=1, risk_margin=2),
        [P("2024H2", 45, 41)],
        ON,
    ),
    (
        "follow: within tolerance below",
        R(RuleKind.FOLLOW_COMPARISON, tolerance=1, risk_margin=2),
        [P("2024H2", 40, 41)],
        ON,
    ),
    (
        "follow: beyond tolerance",
        R(RuleKind.FOLLOW_COMPARISON, tolerance=1, risk_margin=2),
        [P("2024H2", 39, 41)],
        RISK,
    ),
    ("follow: far below", R(RuleKind.FOLLOW_COMPARISON, tolerance=1, risk_margin=2), [P("2024H2", 37.9, 41)], NOT),
    (
        "follow, lower is better: lower",
        R(RuleKind.FOLLOW_COMPARISON, tolerance=1, higher_is_better=False),
        [P("2024H2", 8, 10)],
        ON,
    ),
    (
        "follow, lower is better: higher",
        R(RuleKind.FOLLOW_COMPARISON, tolerance=1, higher_is_better=False),
        [P("2024H2", 12, 10)],
        NOT,
    ),
    ("follow: comparison missing", R(RuleKind.FOLLOW_COMPARISON, tolerance=1), [P("2024H2", 45)], MISS),
    (
        "max 4 pp above: 3 above",
        R(RuleKind.MAX_ABOVE_COMPARISON, threshold=4, risk_margin=1),
        [P("2024H2", 33, 30)],
        ON,
    ),
    (
        "max 4 pp above: exactly 4",
        R(RuleKind.MAX_ABOVE_COMPARISON, threshold=4, risk_margin=1),
        [P("2024H2", 34, 30)],
        ON,
    ),
    (
        "max 4 pp above: 4.5 above",
        R(RuleKind.MAX_ABOVE_COMPARISON, threshold=4, risk_margin=1),
        [P("2024H2", 34.5, 30)],
        RISK,
    ),
    (
        "max 4 pp above: 6 above",
        R(RuleKind.MAX_ABOVE_COMPARISON, threshold=4, risk_margin=1),
        [P("2024H2", 36, 30)],
        NOT,
    ),
    ("fewer than expected", R(RuleKind.BELOW_COMPARISON, strict=True), [P("2024QMAT04", 2140, 2170)], ON),
    ("as many as expected", R(RuleKind.BELOW_COMPARISON, strict=True), [P("2024QMAT04", 2170, 2170)], RISK),
    ("more than expected", R(RuleKind.BELOW_COMPARISON, strict=True), [P("2024QMAT04", 2180, 2170)], NOT),
    ("increase: higher", R(RuleKind.INCREASE, strict=True), [P("2023H2", 10.0), P("2024H2", 11.2)], ON),
    ("increase: unchanged", R(RuleKind.INCREASE, strict=True), [P("2023H2", 10.0), P("2024H2", 10.0)], RISK),
    ("increase: lower", R(RuleKind.INCREASE, strict=True), [P("2023H2", 10.0), P("2024H2", 9.0)], NOT),
    ("increase: first year, no previous", R(RuleKind.INCREASE, strict=True), [P("2024H2", 11)], MISS),
    (
        "increase: previous is another period",
        R(RuleKind.INCREASE, strict=True),
        [P("2024H1", 9), P("2024H2", 11)],
        MISS,
    ),
    ("decrease: lower", R(RuleKind.DECREASE, strict=True), [P("2023", 300, None), P("2024", 280)], ON),
    ("decrease: higher", R(RuleKind.DECREASE, strict=True, frequency_months=12), [P("2023", 300), P("2024", 310)], NOT),
    (
        "monthly average at least 50",
        R(RuleKind.MONTHLY_AVERAGE, threshold=50, window_months=6, risk_margin=5),
        [P(f"2024M{m:02d}", v) for m, v in zip(range(7, 13), [40, 60, 55, 50, 52, 45])],
        ON,
    ),
    (
        "monthly average short of 50",
        R(RuleKind.MONTHLY_AVERAGE, threshold=50, window_months=6, risk_margin=5),
        [P(f"2024M{m:02d}", v) for m, v in zip(range(7, 13), [40, 48, 45, 50, 42, 45])],
        RISK,
    ),
    (
        "monthly average: older months outside the window",
        R(RuleKind.MONTHLY_AVERAGE, threshold=50, window_months=6),
        [P("2024M01", 0), *[P(f"2024M{m:02d}", 50) for m in range(7, 13)]],
        ON,
    ),
    (
        "by 2030: on the trajectory",
        R(RuleKind.SHARE_BY_YEAR, threshold=90, target_year=2030, risk_margin=2),
        [P("2020", 80), P("2024", 84.5)],
        ON,
    ),  # trajectory 2024: 80 + 10 * 4/10 = 84
    (
        "by 2030: below the trajectory",
        R(RuleKind.SHARE_BY_YEAR, threshold=90, target_year=2030, risk_margin=2),
        [P("2020", 80), P("2024", 82.5)],
        RISK,
    ),
    (
        "by 2030: far below",
        R(RuleKind.SHARE_BY_YEAR, threshold=90, target_year=2030, risk_margin=2, frequency_months=12),
        [P("2020", 80), P("2024", 79)],
        NOT,
    ),
    (
        "by 2030: explicit baseline",
        R(RuleKind.SHARE_BY_YEAR, threshold=90, target_year=2030, baseline_year=2014, baseline_value=74),
        [P("2024", 85)],
        ON,
    ),  # trajectory 2024: 74 + 16 * 10/16 = 84
    (
        "by 2030: first value is its own baseline",
        R(RuleKind.SHARE_BY_YEAR, threshold=90, target_year=2030),
        [P("2024", 70)],
        ON,
    ),
    ("no data", R(RuleKind.AT_LEAST, threshold=80), [], MISS),
]


@pytest.mark.parametrize(("case", "rule", "points", "expected"), CASES, ids=[c[0] for c in CASES])
def test_evaluate(case, rule, points, expected):
    assert evaluate(rule, points, TODAY).status == expected


def test_by_year_after_the_target_year_needs_the_threshold():
    rule = R(RuleKind.SHARE_BY_YEAR, threshold=90, target_year=2030, frequency_months=12)
    assert evaluate(rule, [P("2020", 80), P("2030", 89)], date(2031, 2, 1)).status == NOT
    assert evaluate(rule, [P("2020", 80), P("2030", 90)], date(2031, 2, 1)).status == ON


@pytest.mark.parametrize(
    ("frequency_months", "period", "today", "expected"),
    [
        (6, "2024H1", date(2025, 3, 31), ON),  # 9 months: 6 + 3 months' publication lag
        (6, "2024H1", date(2025, 4, 1), MISS),
        (3, "2024Q3", date(2025, 3, 15), ON),
        (3, "2024Q3", date(2025, 4, 1), MISS),
        (12, "2023", date(2024, 12, 31), ON),
        (12, "2023", date(2025, 4, 1), MISS),
    ],
)
def test_data_older_than_the_frequency_allows_is_missing(frequency_months, period, today, expected):
    rule = R(RuleKind.AT_LEAST, threshold=1, frequency_months=frequency_months)
    verdict = evaluate(rule, [P(period, 5)], today)
    assert verdict.status == expected
    if expected == MISS:
        assert "Nyeste tal er for" in verdict.reason


def test_missing_data_says_why_in_danish():
    rule = R(RuleKind.INCREASE)
    assert evaluate(rule, [P("2024H2", 5)], TODAY).reason == "Der er intet tal for 2. halvår 2023 at sammenligne med."
    assert evaluate(rule, [], TODAY).reason == "Der er ingen tal endnu."


def test_verdict_reports_the_judged_value_and_target():
    verdict = evaluate(R(RuleKind.MAX_ABOVE_COMPARISON, threshold=4), [P("2024H2", 33, 30)], TODAY)
    assert (verdict.value, verdict.target) == (D(33), D(34))


def test_target_line_follows_each_rule():
    points = [P("2023H2", 10, 9), P("2024H1", 11, 10), P("2024H2", 12)]
    assert target_line(R(RuleKind.AT_LEAST, threshold=80), points) == [D(80)] * 3
    assert target_line(R(RuleKind.FOLLOW_COMPARISON, tolerance=1), points) == [D(9), D(10), None]
    assert target_line(R(RuleKind.INCREASE), points) == [None, None, D(10)]


@pytest.mark.parametrize(
    "rule",
    [
        R(RuleKind.AT_LEAST, threshold=80),
        R(RuleKind.AT_LEAST),  # no threshold yet: no target anywhere
        R(RuleKind.FOLLOW_COMPARISON),
        R(RuleKind.INCREASE),
        R(RuleKind.SHARE_BY_YEAR, threshold=80, target_year=2026),  # from the first point, which is not asked for
    ],
)
def test_target_line_at_some_points_is_the_whole_line_at_them(rule):
    points = [P("2023H1", 8, 7), P("2023H2", 10, 9), P("2024H1", 11, 10), P("2024H2", 12)]
    whole = target_line(rule, points)
    assert target_line(rule, points, at=[3, 1]) == [whole[3], whole[1]]
    assert target_line(rule, points, at=range(2, 4)) == whole[2:]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (RuleKind.AT_LEAST, D(80)),
        (RuleKind.AT_MOST, D(80)),
        (RuleKind.MONTHLY_AVERAGE, D(80)),
        (RuleKind.SHARE_BY_YEAR, None),
        (RuleKind.FOLLOW_COMPARISON, None),
        (RuleKind.INCREASE, None),
        (RuleKind.BELOW_COMPARISON, None),
    ],
)
def test_fixed_target_is_known_before_any_figure_only_for_thresholds(kind, expected):
    assert fixed_target(R(kind, threshold=80, window_months=6, target_year=2030)) == expected
