from datetime import date

import pytest

from portal.periods import PeriodError, add_months, parse_period


@pytest.mark.parametrize(
    ("text", "code", "start", "end", "label"),
    [
        ("2024M03", "2024M03", date(2024, 3, 1), date(2024, 3, 31), "marts 2024"),
        ("2024M3", "2024M03", date(2024, 3, 1), date(2024, 3, 31), "marts 2024"),
        ("2024M02", "2024M02", date(2024, 2, 1), date(2024, 2, 29), "februar 2024"),
        ("2024Q1", "2024Q1", date(2024, 1, 1), date(2024, 3, 31), "1. kvt. 2024"),
        ("2024K4", "2024Q4", date(2024, 10, 1), date(2024, 12, 31), "4. kvt. 2024"),
        (" 2024h2 ", "2024H2", date(2024, 7, 1), date(2024, 12, 31), "2. halvår 2024"),
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ("2021QMAT02", "2021QMAT02", date(2020, 7, 1), date(2021, 6, 30), "2. halvår 2020 - 1. halvår 2021"),
        ("2024QMAT04", "2024QMAT04", date(2024, 1, 1), date(2024, 12, 31), "1. halvår 2024 - 2. halvår 2024"),
        ("2024QMAT01", "2024QMAT01", date(2023, 4, 1), date(2024, 3, 31), "12 mdr. til og med 1. kvt. 2024"),
    ],
)
def test_parse_period(text, code, start, end, label):
    period = parse_period(text)
    assert (period.code, period.start, period.end, period.label) == (code, start, end, label)


@pytest.mark.parametrize("text", ["", "2024M13", "2024M00", "2024Q5", "24Q1", "marts", "2024-03", "0999", "2024H3"])
def test_parse_period_rejects_unknown_codes_in_danish(text):
    with pytest.raises(PeriodError, match="er ikke en kendt periode|urimeligt årstal|måned uden for"):
        parse_period(text)


def test_shifted_years_keeps_the_kind():
    assert parse_period("2021QMAT02").shifted_years(-1).code == "2020QMAT02"
    assert parse_period("2024M03").shifted_years(-1).code == "2023M03"
    assert parse_period("2024").shifted_years(1).code == "2025"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 February: the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 30), 2, date(2026, 1, 30)),  # over the year's end
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 10), -13, date(2023, 12, 10)),
        (date(2025, 6, 30), 0, date(2025, 6, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected
