"""Each goal's responsible unit or person: set by administrators, shown and filtered on the overview."""

import pytest
from django.urls import reverse

from plans.models import Goal
from portal import audit

pytestmark = pytest.mark.django_db


def goal(code: str) -> Goal:
    major, minor = code.split(".")
    return Goal.objects.get(major=major, minor=minor)


def set_owner(client, code: str, owner: str):
    g = goal(code)
    return client.post(reverse("plans:goal_owner", args=[g.plan.year, g.major, g.minor]), {"owner": owner})


def test_administrator_sets_the_owner_and_it_shows_on_the_goal_page(client_for, administrator):
    client = client_for(administrator)
    response = set_owner(client, "6.10", "  Jobcenter Norddjurs,   Virksomhedsservice ")
    assert response.status_code == 302 and response["Location"].endswith("#ansvarlig")
    assert goal("6.10").owner == "Jobcenter Norddjurs, Virksomhedsservice"
    set_owner(client, "6.9", "Ungeindsatsen")
    text = client.get(reverse("plans:goal_detail", args=[2024, 6, 10])).content.decode()
    assert "Jobcenter Norddjurs, Virksomhedsservice" in text
    assert '<option value="Ungeindsatsen">' in text  # the owners in use are offered


def test_goal_page_says_when_no_owner_is_set_and_members_get_no_form(client_for, member):
    text = client_for(member).get(reverse("plans:goal_detail", args=[2024, 6, 10])).content.decode()
    assert "Ikke angivet" in text
    assert reverse("plans:goal_owner", args=[2024, 6, 10]) not in text


def test_member_cannot_set_an_owner(client_for, member):
    assert set_owner(client_for(member), "6.10", "Mig").status_code == 403
    assert goal("6.10").owner == ""


def test_overview_shows_owners_and_filters_by_owner(client_for, administrator, member):
    admin = client_for(administrator)
    set_owner(admin, "6.10", "Virksomhedsservice")
    set_owner(admin, "6.9", "Virksomhedsservice")
    set_owner(admin, "1.2", "Ungeindsatsen")
    client = client_for(member)
    text = client.get(reverse("plans:goal_list")).content.decode()
    assert text.count('class="goal-owner"') == 3 and "Ansvarlig: Virksomhedsservice" in text
    assert '<option value="Ungeindsatsen">Ungeindsatsen</option>' in text
    filtered = client.get(reverse("plans:goal_list"), {"owner": "Virksomhedsservice"}).content.decode()
    assert filtered.count('class="goal-code"') == 2
    without = client.get(reverse("plans:goal_list"), {"owner": "-"}).content.decode()
    assert without.count('class="goal-code"') == Goal.objects.count() - 3


def test_too_long_an_owner_is_refused_with_a_danish_message(client_for, administrator):
    response = set_owner(client_for(administrator), "6.10", "x" * 201)
    assert response.status_code == 302 and goal("6.10").owner == ""
    page = client_for(administrator).get(response["Location"]).content.decode()
    assert "Den ansvarlige blev ikke gemt" in page


def test_owner_change_is_in_the_audit_trail(client_for, administrator):
    set_owner(client_for(administrator), "6.10", "Virksomhedsservice")
    entry = next(e for e in audit.recent() if e.model == "plans.Goal")
    assert (entry.kind, entry.who) == ("Ændret", "Administrator")
    _, _, changes = audit.detail("plans.Goal", entry.history_id)
    assert ("ansvarlig", "", "Virksomhedsservice") in changes
