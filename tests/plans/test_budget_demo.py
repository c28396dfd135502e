"""Issue 25: the demo data set gives the budget follow-up and the key figures their synthetic figures, budgets
and a comparison group (plans.budget.demo), and removal takes exactly those away."""

from datetime import date

import pytest
from django.urls import reverse

from plans.budget import demo as budget_demo
from plans.core.benefits import BUDGET_GROUPS, FULL_TIME_TABLES
from plans.models import BenefitBudget, BenefitFigure, ComparisonGroup, DataImport, Observation
from portal import demo

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True  # demo data is refused otherwise (portal.demo)


def test_demo_imports_every_sample_and_budgets_every_group_and_year():
    demo.load(TODAY)
    imports = DataImport.objects.filter(original_name__endswith="_SYNTETISK.csv")
    assert imports.count() == len(FULL_TIME_TABLES)
    assert set(imports.values_list("state", flat=True)) == {DataImport.State.DONE}
    assert set(BenefitFigure.objects.values_list("table", flat=True)) == set(FULL_TIME_TABLES)
    budgets = set(BenefitBudget.objects.values_list("group", "year"))
    assert budgets == {(g.key, y) for g in BUDGET_GROUPS for y in (2022, 2023, 2024, 2025, 2026)}
    assert not Observation.objects.filter(data_import__in=imports).exists()  # the goals' demo figures are their own
    group = ComparisonGroup.objects.get(name=budget_demo.DEMO_GROUP)
    assert "Syddjurs" in group.areas and "Norddjurs" not in group.areas


def test_demo_load_twice_changes_nothing():
    demo.load(TODAY)
    before = (BenefitFigure.objects.count(), BenefitBudget.objects.count(), DataImport.objects.count())
    budget_demo.load(TODAY)
    assert (BenefitFigure.objects.count(), BenefitBudget.objects.count(), DataImport.objects.count()) == before


def test_demo_removal_keeps_an_administrators_budget_and_a_real_import(client_for, administrator):
    demo.load(TODAY)
    BenefitBudget.objects.filter(group="fleksjob", year=2026).update(note="Vedtaget budget 2026")
    demo.remove(TODAY)
    assert not BenefitFigure.objects.exists()
    assert not DataImport.objects.filter(original_name__endswith="_SYNTETISK.csv").exists()
    assert list(BenefitBudget.objects.values_list("group", "year")) == [("fleksjob", 2026)]
    assert not ComparisonGroup.objects.filter(name=budget_demo.DEMO_GROUP).exists()


def test_demo_budget_page_shows_every_group_with_its_budget(client_for, member):
    demo.load(TODAY)
    page = client_for(member).get(reverse("budget:overview") + "?aar=2026&opfoelgning=juni").content.decode()
    for group in BUDGET_GROUPS:
        assert str(group.label) in page
    assert "Intet budget indtastet" not in page
    assert "Ingen tal importeret endnu" not in page
