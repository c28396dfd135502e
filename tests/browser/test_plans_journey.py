"""Issue 15 in Chromium: an administrator makes next year's plan from this year's, changes a target,
adds a goal and adopts it; a member then sees the new plan, can still open the old one, and reads
the annual wheel."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from plans.models import Goal, Indicator, Plan
from portal.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def person(username, role):
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    user.groups.add(Group.objects.get(name=role.group_name))
    return user


def test_administrator_makes_next_years_plan_and_a_member_reads_it(reference_data, visit):
    person("administrator", Role.ADMINISTRATOR)
    person("medlem", Role.MEMBER)
    page = visit.page
    today = timezone.localdate()

    visit.login("administrator")
    visit.goto("/maal/")
    page.get_by_role("link", name="Planer", exact=True).click()
    visit.check()
    assert page.get_by_label("År").input_value() == "2025"
    page.get_by_role("button", name="Opret plan").click()
    visit.check()
    assert page.get_by_role("heading", name="Beskæftigelsesplan 2025", exact=True).is_visible()
    assert "Beskæftigelsesplan 2025 er oprettet som kladde" in page.locator(".messages").inner_text()

    # Change a target: goal 1.2's share from 80 to 85 %.
    page.get_by_role("link", name="Ret mål 1.2").click()
    visit.check()
    page.locator("#id_indikator-0-threshold").fill("85")
    page.get_by_role("button", name="Gem målet").click()
    visit.check()
    assert "Mål 1.2 er gemt." in page.locator(".messages").inner_text()

    # Add a goal.
    page.get_by_role("link", name="Tilføj mål").click()
    visit.check()
    page.locator("#id_major").fill("6")
    page.locator("#id_minor").fill("14")
    page.locator("#id_kind").select_option("lokalt")
    page.locator("#id_title").fill("Flere i fleksjob")
    page.locator("#id_metric").fill("Antal fuldtidspersoner i fleksjob")
    page.locator("#id_target_text").fill("Flere i fleksjob end samme periode året før")
    page.locator("#id_follow_up_text").fill("Udvalget orienteres halvårligt")
    page.locator("#id_source").select_option("jobindsats")
    page.locator("#id_frequency").select_option("halvaarlig")
    page.locator("#id_indikator-0-name").fill("Fuldtidspersoner i fleksjob")
    page.locator("#id_indikator-0-unit").select_option("antal")
    page.locator("#id_indikator-0-rule").select_option("stigning")
    page.get_by_role("button", name="Gem målet").click()
    visit.check()
    assert "Mål 6.14 er gemt." in page.locator(".messages").inner_text()
    assert page.get_by_role("row", name=re.compile(r"^6\.14 Flere i fleksjob")).is_visible()

    # Adopt it.
    page.get_by_label("Vedtaget den").fill(today.isoformat())
    page.get_by_label("Udvalgets beslutning").fill("Arbejdsmarkedsudvalget, pkt. 5")
    page.get_by_role("button", name="Vedtag planen").click()
    visit.check()
    assert "Beskæftigelsesplan 2025 er vedtaget" in page.locator(".messages").inner_text()
    plan = Plan.objects.get(year=2025)
    assert plan.is_adopted and plan.adopted_on == today
    assert Indicator.objects.get(goal__plan=plan, goal__major=1, goal__minor=2).threshold == 85
    assert Indicator.objects.get(goal__plan__year=2024, goal__major=1, goal__minor=2).threshold == 80
    assert Goal.objects.get(plan=plan, major=6, minor=14).predecessor is None
    visit.screenshot("15-administrator-plan-2025")
    page.get_by_role("button", name="Log ud").click()

    # A member sees 2025 on the overview, and can still open 2024.
    visit.login("medlem")
    page.get_by_role("link", name="Mål", exact=True).first.click()
    visit.check()
    assert page.get_by_role("heading", name="Beskæftigelsesplan 2025", level=1).is_visible()
    assert page.get_by_role("link", name=re.compile(r"^6\.14 Flere i fleksjob")).is_visible()
    page.get_by_label("Plan", exact=True).select_option("2024")
    page.get_by_role("button", name="Vis planen").click()
    visit.check()
    assert page.get_by_role("heading", name="Beskæftigelsesplan 2024", level=1).is_visible()
    assert "som de stod ved planens udløb" in page.locator(".plan-switcher").inner_text()
    page.get_by_role("link", name=re.compile(r"^1\.2 ")).first.click()
    visit.check()
    assert "/maal/2024/1.2/" in page.url

    # The annual wheel: this year's events, month by month.
    visit.goto("/maal/aarshjul/")
    assert page.get_by_role("heading", name=f"Årshjul {today.year}", level=1).is_visible()
    assert page.get_by_role("heading", name="Juni", level=2).is_visible()
    events = page.locator(".wheel-event")
    assert events.filter(has_text=f"Halvårlig målopfølgning: 1. halvår {today.year}").count() == 1
    assert events.filter(has_text="Beskæftigelsesplan 2025 vedtaget").count() == 1
    visit.screenshot("15-udvalgsmedlem-aarshjul")
