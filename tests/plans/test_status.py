"""Every goal of the plan, with realistic figures, gets the status its target text says."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from plans.evaluation import Status
from plans.models import Goal, Indicator, Observation
from plans.services import status

pytestmark = pytest.mark.django_db
TODAY = date(2025, 2, 15)  # the 2. halvår 2024 follow-up is being prepared
ON, RISK, NOT, MISS = Status.ON_TRACK, Status.AT_RISK, Status.NOT_MET, Status.MISSING_DATA


def observe(code, position, period, value, comparison=None, area=None):
    major, minor = code.split(".")
    indicator = Indicator.objects.get(goal__major=major, goal__minor=minor, position=position)
    observation = Observation(
        indicator=indicator,
        area=area or settings.PORTAL_AREA,
        period_code=period,
        value=Decimal(str(value)),
        comparison=None if comparison is None else Decimal(str(comparison)),
    )
    observation.full_clean()
    observation.save()
    return indicator


def goal_status(code):
    major, minor = code.split(".")
    goal = Goal.objects.get(major=major, minor=minor)
    status.refresh(goal.indicators.values_list("id", flat=True), today=TODAY)
    return Status(max(goal.indicators.values_list("status", flat=True)))


# (goal, observations as (indicator position, period, value, comparison), expected status)
GOALS = [
    ("1.1", [(1, "2024QMAT04", 2140, 2170)], ON),  # fewer on public support than expected
    ("1.1", [(1, "2024QMAT04", 2200, 2170)], NOT),
    ("1.2", [(1, "2024H2", 82.4, None)], ON),  # at least 80 % had 4 conversations
    ("1.2", [(1, "2024H2", 77.0, None)], RISK),
    ("1.3", [(1, "2024H2", 61.0, None)], NOT),  # at least 70 %
    ("2.1", [(1, "2024Q4", 3, None)], MISS),  # "a low level" has no number until an administrator sets one
    ("2.2", [(1, "2023", 412, None), (1, "2024", 389, None), (2, "2023", 2.1, None), (2, "2024", 1.9, None)], ON),
    ("2.2", [(1, "2023", 412, None), (1, "2024", 430, None), (2, "2023", 2.1, None), (2, "2024", 1.9, None)], NOT),
    ("3.1", [(1, "2023H2", 118, None), (1, "2024H2", 131, None)], ON),  # more start upskilling than in 2023
    ("3.1", [(1, "2024H2", 131, None)], MISS),  # no 2023 figure to compare with
    ("4.1", [(1, "2024H2", 44.8, 45.3)], ON),  # follows the national average
    ("4.1", [(1, "2024H2", 40.1, 45.3)], NOT),
    ("5.1", [(1, "2024H2", 11.9, 11.2)], ON),  # flex-job unemployment follows the national rate
    ("5.1", [(1, "2024H2", 13.5, 11.2)], RISK),
    ("5.2", [(1, "2023H2", 24, None), (1, "2024H2", 22, None)], NOT),  # more hired on special terms
    (
        "6.1",
        [(1, "2024H2", 58.0, 57.2)]
        + [(2, f"2024M{m:02d}", n, None) for m, n in zip(range(7, 13), [61, 48, 55, 52, 49, 57])],
        ON,
    ),
    (
        "6.1",
        [(1, "2024H2", 58.0, 57.2)]
        + [(2, f"2024M{m:02d}", n, None) for m, n in zip(range(7, 13), [41, 38, 45, 42, 39, 40])],
        NOT,
    ),
    ("6.2", [(1, "2024H2", 51.0, 52.5)], ON),  # as the national figure
    ("6.3", [(1, "2024", 33.2, None)], RISK),  # at least 35 % choose vocational education
    ("6.4", [(1, "2023H2", 61.0, None), (1, "2024H2", 63.5, None)], ON),
    ("6.5", [(1, "2024", 56.1, None)], ON),  # at least 55 % choose upper secondary
    ("6.6", [(1, "2020", 80.0, None), (1, "2024", 84.6, None)], ON),  # on course for 90 % in 2030
    ("6.6", [(1, "2020", 80.0, None), (1, "2024", 79.5, None)], NOT),
    ("6.7", [(1, "2024", 9.2, 9.0)], ON),  # on level with the expected benchmark
    ("6.8", [(1, "2024H2", 80.0, None)], RISK),  # "more than 80 %": exactly 80 is not enough
    ("6.8", [(1, "2024H2", 86.0, None)], ON),
    ("6.9", [(1, "2023H2", 31.0, None), (1, "2024H2", 30.0, None)], NOT),
    ("6.10", [(1, "2023H2", 12.5, None), (1, "2024H2", 13.8, None)], ON),
    ("6.11", [(1, "2024H2", 38.0, 35.0)], ON),  # at most 4 pp above the national figure
    ("6.11", [(1, "2024H2", 39.5, 35.0)], RISK),
    ("6.11", [(1, "2024H2", 41.0, 35.0)], NOT),
    ("6.12", [(1, "2023H2", 140, None), (1, "2024H2", 152, None)], ON),
    ("6.13", [(1, "2023H2", 35, None), (1, "2024H2", 35, None)], RISK),  # "more": unchanged is not more
]


@pytest.mark.parametrize(("code", "rows", "expected"), GOALS, ids=[f"{g[0]}-{g[2].name}" for g in GOALS])
def test_goal_status_matches_the_plan(code, rows, expected):
    for position, period, value, comparison in rows:
        observe(code, position, period, value, comparison)
    assert goal_status(code) == expected


def test_every_goal_code_has_a_status_test():
    tested = {g[0] for g in GOALS}
    assert tested == {g.code for g in Goal.objects.all()}


def test_other_areas_do_not_count_for_norddjurs():
    observe("1.2", 1, "2024H2", 95, area="Syddjurs")
    assert goal_status("1.2") == MISS


def test_refresh_twice_writes_no_new_history():
    indicator = observe("1.2", 1, "2024H2", 82)
    assert status.refresh([indicator.id], today=TODAY) == 1
    assert status.refresh([indicator.id], today=TODAY) == 0
    assert indicator.status_changes.count() == 2  # the seed's first verdict, then "på sporet"


def test_goal_with_old_data_falls_back_to_missing_data():
    indicator = observe("1.2", 1, "2024H2", 82)
    status.refresh([indicator.id], today=TODAY)
    status.refresh([indicator.id], today=date(2025, 11, 1))
    indicator.refresh_from_db()
    assert indicator.status == MISS
    assert "Nyeste tal er for 2. halvår 2024" in indicator.status_reason
