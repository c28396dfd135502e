"""Issue 24: after copying a plan, the mappings name each indicator with its plan's year, the copied goal page
names the import of the figures its chart shows, and adoption says "vises nu for udvalget" only when it is so."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from plans.models import ExtractMapping, Indicator
from plans.services import plan_copy
from tests.support.plan_data import add, data_import

pytestmark = pytest.mark.django_db


def indicator_of(year, major, minor, position=1):
    return Indicator.objects.get(goal__plan__year=year, goal__major=major, goal__minor=minor, position=position)


def row_labels(page: str) -> list[str]:
    return [html.unescape(label) for label in re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', page)]


def option_labels(page: str) -> list[str]:
    select = page.split('name="indicator"')[1].split("</select>")[0]
    return [html.unescape(label) for label in re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)]


def test_mapping_list_names_each_indicator_with_its_plan_year_grouped_by_plan(client_for, administrator, plan_2024):
    plan_copy.copy_plan(plan_2024, 2025)
    client = client_for(administrator)
    page = client.get(reverse("imports:mappings")).content.decode()
    labels = row_labels(page)
    assert labels and len(labels) == ExtractMapping.objects.count()
    mapped = indicator_of(2024, 1, 1)
    for year in (2025, 2024):
        assert sum(label == f"{year} · 1.1 {mapped.name}" for label in labels) == mapped.mappings.count()
    # One section per plan, the newest first, each saying how the plan stands.
    assert page.index("Beskæftigelsesplan 2025 <span") < page.index("Beskæftigelsesplan 2024 <span")
    assert "(kladde)" in page and "(gælder nu)" in page
    assert all(label.startswith(("2025 · ", "2024 · ")) for label in labels)


def test_mapping_list_leaves_out_a_superseded_plans_mappings_and_shows_them_on_request(
    client_for, administrator, plan_2024
):
    plan_copy.adopt(plan_copy.copy_plan(plan_2024, 2025), date(2024, 11, 12), "AMU")
    client = client_for(administrator)
    page = html.unescape(client.get(reverse("imports:mappings")).content.decode())
    old = ExtractMapping.objects.filter(indicator__goal__plan=plan_2024).count()
    assert all(label.startswith("2025 · ") for label in row_labels(page))
    assert f"{old} koblinger til tidligere planers indikatorer er ikke vist." in page
    everything = client.get(reverse("imports:mappings"), {"alle": "1"}).content.decode()
    assert sum(label.startswith("2024 · ") for label in row_labels(everything)) == old
    assert "(tidligere plan)" in everything


def test_mapping_form_offers_the_working_plans_indicators_with_their_year(client_for, administrator, plan_2024):
    plan_copy.copy_plan(plan_2024, 2025)
    client = client_for(administrator)
    page = client.get(reverse("imports:mapping_new")).content.decode()
    labels = option_labels(page)
    assert len(labels) == len(set(labels)) == Indicator.objects.filter(goal__plan__year__in=[2024, 2025]).count()
    name = indicator_of(2024, 1, 1).name
    assert f"2025 · 1.1 {name}" in labels and f"2024 · 1.1 {name}" in labels
    assert '<optgroup label="Beskæftigelsesplan 2025">' in page and '<optgroup label="Beskæftigelsesplan 2024">' in page


def test_mapping_form_keeps_a_superseded_plans_indicator_for_its_own_mapping(client_for, administrator, plan_2024):
    plan_copy.adopt(plan_copy.copy_plan(plan_2024, 2025), date(2024, 11, 12), "AMU")
    client = client_for(administrator)
    new_labels = option_labels(client.get(reverse("imports:mapping_new")).content.decode())
    assert new_labels and all(label.startswith("2025 · ") for label in new_labels)
    old_mapping = ExtractMapping.objects.filter(indicator__goal__plan=plan_2024).first()
    labels = option_labels(client.get(reverse("imports:mapping_edit", args=[old_mapping.pk])).content.decode())
    assert sum(label.startswith("2024 · ") for label in labels) == 1  # its own indicator, still selectable


def test_copied_goal_page_names_the_import_of_the_figures_its_chart_shows(client_for, administrator, plan_2024):
    old = indicator_of(2024, 1, 2)
    record = data_import("y30r21_udtraek.csv", administrator)
    add(old, "2024H1", "78", data_import=record)
    add(old, "2024H2", "82", data_import=record)
    plan_copy.copy_plan(plan_2024, 2025)
    page = html.unescape(
        client_for(administrator).get(reverse("plans:goal_detail", args=[2025, 1, 2])).content.decode()
    )
    route = page.split("Seneste import</dt>")[1].split("</dd>")[0]
    assert "y30r21_udtraek.csv" in route and reverse("imports:detail", args=[record.pk]) in route
    assert "Ingen import" not in page and "Der er ingen tal endnu." not in page


def test_adopting_next_years_plan_does_not_say_members_see_it_yet(client_for, administrator, member, plan_2024):
    year = date.today().year + 1
    plan_copy.copy_plan(plan_2024, year)
    client = client_for(administrator)
    response = client.post(
        reverse("plans:plan_adopt", args=[year]),
        {"adopted_on": f"{year - 1}-11-12", "decision_reference": "AMU, pkt. 5", "note": ""},
        follow=True,
    )
    text = html.unescape(response.content.decode())
    assert "vises nu for udvalget" not in text
    assert f"Udvalget ser den fra 1. januar {year}; indtil da vises Beskæftigelsesplan 2024." in text
    assert "<h1>Beskæftigelsesplan 2024</h1>" in client_for(member).get(reverse("plans:goal_list")).text


def test_adopting_this_years_plan_says_members_see_it_now(client_for, administrator, plan_2024):
    plan_copy.copy_plan(plan_2024, 2025)
    response = client_for(administrator).post(
        reverse("plans:plan_adopt", args=[2025]),
        {"adopted_on": "2024-11-12", "decision_reference": "AMU 12.11.2024, pkt. 5", "note": ""},
        follow=True,
    )
    assert "Beskæftigelsesplan 2025 er vedtaget og vises nu for udvalget." in html.unescape(response.content.decode())
