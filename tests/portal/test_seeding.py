"""The seed data equals the source documents in ../shared/seeds/."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from events.models import Fair, FairSeries, GroupSeat, Meeting, ProgrammeItem, Project
from investments.models import Proposal, Strategy, YearlyFigure
from plans.models import BenchmarkResult, Goal, MinisterGoal

pytestmark = pytest.mark.django_db

GOAL_CODES = [
    "1.1",
    "1.2",
    "1.3",
    "2.1",
    "2.2",
    "3.1",
    "4.1",
    "5.1",
    "5.2",
    "6.1",
    "6.2",
    "6.3",
    "6.4",
    "6.5",
    "6.6",
    "6.7",
    "6.8",
    "6.9",
    "6.10",
    "6.11",
    "6.12",
    "6.13",
]

# Bilag 4 as printed: (investment, savings) in mio. kr. per proposal and year; None is "-".
INVESTMENT_TABLES = {
    1: {2020: ("3.079", "-2.703"), 2021: ("3.079", "-4.655"), 2022: ("3.079", "-6.711"), 2023: (None, "-6.244")},
    2: {2020: ("1.562", "-0.633"), 2021: ("1.796", "-1.724"), 2022: ("1.706", "-2.639"), 2023: ("1.706", "-3.553")},
    3: {2020: ("0.450", "-1.555"), 2021: ("0.225", "-3.110"), 2022: ("0.225", "-4.665"), 2023: ("0.225", "-4.665")},
    4: {2020: ("0.250", "-1.313"), 2021: ("0.250", "-2.626"), 2022: ("0.250", "-3.929"), 2023: ("0.250", "-5.253")},
    # 2021 savings are printed as 1,362; the totals confirm -1,362 (see the data note test).
    5: {2020: ("1.362", "-2.128"), 2021: ("1.362", "-1.362"), 2022: (None, "-0.674"), 2023: (None, "-0.674")},
}
# The "Total" rows as printed ("-" is a zero net).
PRINTED_TOTALS = {
    1: ["0.376", "-1.576", "-3.632", "-6.244"],
    2: ["0.929", "0.072", "-0.933", "-1.847"],
    3: ["-1.105", "-2.885", "-4.440", "-4.440"],
    4: ["-1.063", "-2.376", "-3.679", "-5.003"],
    5: ["-0.766", "0", "-0.674", "-0.674"],
}


def test_plan_has_exactly_the_22_goal_codes():
    assert [g.code for g in Goal.objects.filter(plan__year=2024)] == GOAL_CODES


def test_goals_are_grouped_under_the_five_minister_goals():
    assert MinisterGoal.objects.filter(plan__year=2024).count() == 5
    by_code = {g.code: g for g in Goal.objects.select_related("minister_goal")}
    assert [c for c, g in by_code.items() if g.minister_goal is None] == ["1.1", "1.2", "1.3"]
    assert by_code["2.1"].minister_goal.title == "Alle ledige skal have en værdig sagsbehandling"
    assert by_code["6.13"].minister_goal.number == 5


def test_goal_texts_are_verbatim_with_hyphenation_repaired():
    goal = Goal.objects.get(major=6, minor=11)
    assert goal.title == "Afklaring af unges arbejds- og uddannelsesperspektiv"
    assert goal.metric == "Andel aktivitetsparate uddannelseshjælpsmodtagere"
    assert goal.target_text == (
        "Andelen af aktivitetsparate unge i Norddjurs skal maksimalt være 4 procentpoint højere end landstallet."
    )
    assert goal.follow_up_text == "Arbejdsmarkedsudvalget orienteres to gange årligt pba. jobindsats.dk"
    assert Goal.objects.get(major=1, minor=2).target_text == (
        "At mindst 80% af borgerne har deltaget i mindst 4 samtaler de sidste 12 måneder"
    )
    for goal in Goal.objects.all():
        for text in (goal.title, goal.metric, goal.target_text, goal.follow_up_text):
            assert "- " not in text.replace("arbejds- og", "").replace("FGU- ", ""), (goal.code, text)


def test_goal_sources_and_frequencies_follow_the_follow_up_texts():
    by_code = {g.code: g for g in Goal.objects.all()}
    assert by_code["2.1"].frequency == Goal.Frequency.QUARTERLY
    assert by_code["2.2"].frequency == Goal.Frequency.YEARLY
    assert by_code["6.8"].source == Goal.Source.CVR_FASIT
    assert by_code["6.12"].source == Goal.Source.JOB_OG_SPROG
    assert {by_code[c].source for c in ("6.3", "6.5", "6.6", "6.7")} == {Goal.Source.UNGEINDSATSEN}
    for goal in by_code.values():
        if "jobindsats.dk" in goal.follow_up_text:
            assert goal.source == Goal.Source.JOBINDSATS, goal.code


@pytest.mark.parametrize("number", INVESTMENT_TABLES)
def test_every_investment_figure_equals_the_document(number):
    figures = {f.year: f for f in YearlyFigure.objects.filter(proposal__number=number)}
    assert sorted(figures) == [2020, 2021, 2022, 2023]
    for year, (investment, savings) in INVESTMENT_TABLES[number].items():
        assert figures[year].investment == (Decimal(investment) if investment else None), (number, year)
        assert figures[year].savings == Decimal(savings), (number, year)
    assert [figures[y].net for y in sorted(figures)] == [Decimal(t) for t in PRINTED_TOTALS[number]]


def test_proposal_5_keeps_the_printed_value_beside_the_confirmed_one():
    figure = YearlyFigure.objects.get(proposal__number=5, year=2021)
    assert figure.savings == Decimal("-1.362")
    assert figure.printed_savings == "1,362"
    assert "-6.765" in figure.data_note
    assert YearlyFigure.objects.exclude(printed_savings="").count() == 1


def test_strategy_records_the_prudent_budget_rule():
    strategy = Strategy.objects.get()
    assert strategy.prudent_share == Decimal("0.50")
    assert "kun halvdelen af potentialet" in strategy.budget_rule_text
    assert strategy.years == [2020, 2021, 2022, 2023]
    assert Proposal.objects.count() == 5


def test_two_fairs_on_13_and_21_march_2024():
    fairs = list(Fair.objects.order_by("date"))
    assert [(f.venue, f.date) for f in fairs] == [
        ("Grenaa Bibliotek", date(2024, 3, 13)),
        ("Auning Bibliotek", date(2024, 3, 21)),
    ]
    series = FairSeries.objects.get()
    assert (series.early_retirement_citizens, series.flex_benefit_citizens) == (2030, 135)
    assert (series.association_target_min, series.association_target_max, series.associations_invited) == (10, 20, 36)
    assert (series.citizens_expected_min, series.citizens_expected_max) == (30, 40)
    assert series.registration_deadline == date(2023, 12, 1)


def test_programme_marks_the_talks_as_conditional():
    items = list(ProgrammeItem.objects.all())
    assert [f"{i.starts_at:%H.%M}-{i.ends_at:%H.%M}" for i in items] == [
        "12.30-13.00",
        "13.00-13.30",
        "13.30-14.50",
        "14.50-15.00",
    ]
    assert [i.is_conditional for i in items] == [False, True, False, False]


def test_project_has_its_follow_up_group_and_two_2025_meetings():
    project = Project.objects.get()
    assert project.target_participants == 120
    assert [p.name for p in project.partners.all()] == ["3F Djursland", "Senior Erhverv Kronjylland"]
    assert list(Meeting.objects.values_list("date", flat=True)) == [date(2025, 6, 18), date(2025, 10, 8)]
    seat = GroupSeat.objects.get(holder="Knud Birch Kristensen")
    assert (seat.appointed_by, seat.appointed_on) == ("Ældrerådet", date(2025, 4, 3))
    assert GroupSeat.objects.count() == 4


def test_benchmark_table_equals_the_committee_introduction():
    rows = [(r.benefit_group, r.expected, r.actual, r.difference, r.rank) for r in BenchmarkResult.objects.all()]
    assert rows == [
        ("A-dagpenge mv.", 600, 580, -20, 37),
        ("Sygedagpenge mv.", 810, 740, -70, 5),
        ("Kontanthjælp mv.", 970, 1000, 30, 68),
        ("Ydelsesgrupper i alt", 2380, 2320, -60, 23),
    ]


def _snapshot() -> str:
    objects = []
    for app_label in ("plans", "investments", "events"):
        for model in apps.get_app_config(app_label).get_models():
            objects.extend(model.objects.order_by("pk"))
    return serializers.serialize("json", objects)


def test_load_seed_data_twice_changes_nothing(capsys):
    before = _snapshot()
    call_command("load_seed_data")
    assert "I alt 0 ændringer." in capsys.readouterr().out
    assert _snapshot() == before


def test_load_seed_data_keeps_what_administrators_changed():
    YearlyFigure.objects.filter(proposal__number=1, year=2020).update(investment=Decimal("3.100"))
    call_command("load_seed_data", verbosity=0)
    assert YearlyFigure.objects.get(proposal__number=1, year=2020).investment == Decimal("3.100")


def test_load_seed_data_overwrite_restores_the_documents_text():
    Goal.objects.filter(major=1, minor=1).update(title="Ændret")
    call_command("load_seed_data", overwrite=True, verbosity=0)
    assert Goal.objects.get(major=1, minor=1).title == "Resultatmål"
