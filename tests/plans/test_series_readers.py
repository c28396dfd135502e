"""The pages' readers of figures (plans.services.status, the report's half-years) bound what they read by the
period code, which starts with the year the period ends in: they find the same figures a filter on the period's
end finds, on mixed frequencies across the turn of a year, however long the history."""

from datetime import date

import pytest

from plans.forms import ReportForm
from plans.models import Indicator, Observation
from plans.services import report, status
from portal.periods import parse_period
from tests.support.plan_data import add

pytestmark = pytest.mark.django_db

# Mixed frequencies around the turns of 2023 and 2024. 2024QMAT01 runs from April 2023 to March 2024; 2024M06 and
# 2024H1 both end on 30 June 2024, and the month, which starts later, is the newer.
CODES = ["2022", "2022H2", "2023M01", "2023Q4", "2024QMAT01", "2024H1", "2024M06", "2025M02"]


@pytest.fixture
def indicator():
    found = Indicator.objects.filter(goal__plan__year=2024).order_by("id").first()
    Observation.objects.filter(indicator=found).delete()
    for n, code in enumerate(CODES):
        add(found, code, n)
        add(found, code, 100 + n, area="Syddjurs")  # another area's figures are never read
    return found


def by_end(codes) -> list[str]:
    """Codes oldest first (by the code where two periods end the same day: the readers leave that order open)."""
    return sorted(codes, key=lambda code: (parse_period(code).end, code))


def ending(since=None, until=None) -> list[str]:
    """The codes a filter on the period's end picks, oldest first."""
    periods = [parse_period(c) for c in CODES]
    return by_end(p.code for p in periods if (since is None or p.end >= since) and (until is None or p.end <= until))


@pytest.mark.parametrize(
    "code", ["2024M01", "2024M12", "2024Q1", "2024K4", "2024H1", "2024H2", "2024", "2024QMAT01", "2024QMAT04"]
)
def test_every_period_code_starts_with_the_year_its_period_ends_in(code):
    period = parse_period(code)
    assert period.code[:4] == str(period.end.year)


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (date(2023, 1, 1), None),
        (date(2023, 12, 31), None),  # 2023Q4 ends that day; 2023M01 in the same year does not count
        (date(2024, 1, 1), None),
        (date(2022, 6, 1), date(2023, 12, 31)),
        (date(2023, 2, 1), date(2024, 6, 29)),  # 2024QMAT01, not the two periods ending on 30 June
        (date(2024, 6, 30), date(2024, 6, 30)),
    ],
)
def test_series_window_reads_what_a_filter_on_the_end_reads(indicator, since, until):
    series = status.series_by_indicator([indicator.id], since=since, until=until)[indicator.id]
    assert [p.period.end for p in series] == sorted(p.period.end for p in series)
    assert by_end(p.period.code for p in series) == ending(since, until)


def test_whole_series_adds_the_oldest_figure_by_its_end_not_its_code(indicator):
    add(indicator, "2019M03", 7)  # ends before "2019" (the year), whose code sorts first
    add(indicator, "2019", 8)
    series = status.series_by_indicator([indicator.id], since=date(2025, 1, 1), whole_series=[indicator.id])
    assert [p.period.code for p in series[indicator.id]] == ["2019M03", "2025M02"]


def test_own_start_reads_further_back_for_that_indicator_only(indicator):
    other = Indicator.objects.exclude(id=indicator.id).order_by("id").first()
    Observation.objects.filter(indicator=other).delete()
    add(other, "2023M06", 1)
    series = status.series_by_indicator(
        [indicator.id, other.id], since=date(2025, 1, 1), since_for={indicator.id: date(2023, 12, 1)}
    )
    assert by_end(p.period.code for p in series[indicator.id]) == ending(date(2023, 12, 1))
    assert other.id not in series


@pytest.mark.parametrize(
    ("until", "newest"),
    [
        (None, "2025M02"),
        (date(2024, 12, 31), "2024M06"),  # the month beside the half-year ending the same day: it starts later
        (date(2024, 6, 29), "2024QMAT01"),  # the highest code of 2024, and the newest by its end
        (date(2023, 12, 30), "2023M01"),  # not 2023Q4, which ends a day later
    ],
)
def test_latest_is_the_newest_by_the_end(indicator, until, newest):
    assert status.latest_by_indicator([indicator.id], until=until)[indicator.id].period.code == newest


def test_report_offers_each_half_year_in_which_a_figure_ends(indicator, plan_2024):
    Observation.objects.exclude(indicator=indicator).delete()
    add(indicator, "1990M03", 1, area="Syddjurs")  # another area's figures do not count
    add(indicator, "2019M03", 1)  # then none for two years
    # 2022 and 2022H2 end in its second half, 2024QMAT01 in the first half of 2024; no figure ends in 2024H2.
    expected = ["2025H1", "2024H1", "2023H2", "2023H1", "2022H2", "2019H1"]
    assert [h.code for h in report.half_years(plan_2024)] == expected


def test_report_offers_no_half_year_without_figures(plan_2024):
    Observation.objects.all().delete()
    assert report.half_years(plan_2024) == []


def test_report_form_marks_the_chosen_half_year_and_escapes_the_labels():
    form = ReportForm(initial={"halvaar": "2024H1"}, choices=[("2024H2", "2. halvår"), ("2024H1", "<1. halvår>")])
    assert str(form["halvaar"]) == (
        '<select name="halvaar" id="id_halvaar"><option value="2024H2">2. halvår</option>'
        '<option value="2024H1" selected>&lt;1. halvår&gt;</option></select>'
    )
