"""Issue 12's small defects: header, language menu, menu highlight, cancelling a sign-up, the
participants' list, the prudent budget without realisations, and Python texts in English."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from events.fairs.services import signups
from events.models import CitizenSignup, Fair
from investments.models import Proposal, Realisation
from portal.roles import Role
from tests.support.event_data import coming_fair

pytestmark = pytest.mark.django_db


def header(text: str) -> str:
    return text.split('<header class="site-header">')[1].split("</header>")[0]


def test_header_names_the_role_once(client, member):
    demo = User.objects.create_user("demo", first_name="Udvalgsmedlem (demo)")
    demo.groups.add(Group.objects.get(name=Role.MEMBER.group_name))
    client.force_login(demo)
    text = header(client.get(reverse("start")).content.decode())
    assert '<span class="user-name">Udvalgsmedlem (demo)</span>' in text
    client.force_login(member)
    assert '<span class="user-name">Medlem (Udvalgsmedlem)</span>' in header(
        client.get(reverse("start")).content.decode()
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_language_menu_names_each_language_in_itself(client, member, language):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": language})
    text = header(client.get(reverse("start")).content.decode())
    assert '<option value="da" lang="da"' in text and ">Dansk</option>" in text
    assert ">English</option>" in text
    assert "engelsk" not in text and "Danish" not in text


@pytest.mark.parametrize(
    ("url", "current"),
    [("/arrangementer/50-plus/", "50+ projekt"), ("/arrangementer/", "Arrangementer"), ("/maal/benchmark/", "Mål")],
)
def test_one_menu_item_is_current(client_for, member, url, current):
    nav = client_for(member).get(url).content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    assert nav.count('aria-current="page"') == 1
    assert f'aria-current="page">{current}</a>' in nav


@pytest.fixture
def fair():
    return coming_fair(capacity=1, days=9)


def test_cancel_asks_for_confirmation_first(client_for, caseworker, fair):
    anna = signups.register([fair], {"name": "Anna", "benefit_group": "anden"}, caseworker)[0]
    signups.register([fair], {"name": "Bo", "benefit_group": "anden"}, caseworker)
    client = client_for(caseworker)
    url = reverse("events:signup_cancel", args=[anna.pk])
    assert f'action="{url}"' in client.get(reverse("events:signups", args=[fair.pk])).content.decode()
    asked = client.post(url).content.decode()
    assert "Afmeld Anna?" in asked and 'name="bekraeft" value="ja"' in asked
    anna.refresh_from_db()
    assert anna.status == CitizenSignup.Status.CONFIRMED  # nothing happened yet
    done = client.post(url, {"bekraeft": "ja"}, follow=True).content.decode()
    assert "Tilmeldingen er afmeldt." in done and "Bo er rykket op fra ventelisten." in done
    anna.refresh_from_db()
    assert anna.status == CitizenSignup.Status.CANCELLED
    assert "Tilmeldingen er allerede afmeldt." in client.post(url).content.decode()


def test_participants_list_shows_who_has_checked_in(client_for, caseworker, fair):
    Fair.objects.filter(pk=fair.pk).update(capacity=5)
    for name in ("Anna", "Bo", "Carl"):
        signups.register([fair], {"name": name, "benefit_group": "anden"}, caseworker)
    signups.check_in(fair.signups.get(name="Anna").pk, True, today=fair.date)  # check-in opens on the fair day
    signups.check_in(fair.signups.get(name="Bo").pk, False, today=fair.date)
    rows = (
        client_for(caseworker)
        .get(reverse("events:participants", args=[fair.pk]))
        .content.decode()
        .split("<tbody>")[1]
        .split("<tr>")
    )
    anna, bo, carl = (next(r for r in rows if f">{n}<" in r) for n in ("Anna", "Bo", "Carl"))
    assert "☑</span> Mødt op" in anna and "☐" not in anna
    assert "Ikke mødt" in bo and "☐" not in bo
    assert "☐" in carl  # still to be ticked on the printed list


def budget_cells(client) -> dict[str, list[str]]:
    text = client.get(reverse("investments:budget")).content.decode()
    body = text.split("<tbody")[1].split("</tbody>")[0]
    rows = {}
    for row in body.split("<tr")[1:]:
        cells = [c.split("</td>")[0].strip() for c in row.split("<td")[1:]]
        cells = [c.split(">", 1)[1].strip() for c in cells]
        rows[cells[0]] = cells[1:]
    return rows


def test_prudent_budget_says_nothing_is_realised_instead_of_a_number(client_for, member):
    rows = budget_cells(client_for(member))
    assert set(rows) == {"2020", "2021", "2022", "2023", "I alt"}
    for cells in rows.values():
        assert cells[2:] == ["ikke registreret"] * 3  # realised savings, realised net, against the budget
    assert "40,836" not in client_for(member).get(reverse("investments:budget")).content.decode()


def test_prudent_budget_measures_only_years_with_realisations(client_for, member, administrator):
    from investments.services.summary import overview

    proposal = Proposal.objects.get(number=1)
    Realisation.objects.create(
        proposal=proposal, month=date(2021, 3, 1), amount=Decimal("-0.250"), entered_by=administrator
    )
    data = overview(proposal.strategy)
    year_2021 = next(b for b in data.budget if b.year == 2021)
    total = data.budget_total()
    assert total.difference == year_2021.difference == year_2021.realised_net - year_2021.budgeted
    rows = budget_cells(client_for(member))
    assert rows["2020"][2:] == ["ikke registreret"] * 3
    assert rows["2021"][2] == "-0,250"
    assert rows["I alt"][4] == rows["2021"][4]


def test_budget_export_leaves_unregistered_cells_empty(client_for, member):
    body = client_for(member).get(reverse("investments:budget"), {"eksport": "csv"}).content.decode("utf-8-sig")
    first_year = body.splitlines()[1].split(";")
    assert first_year[0] == "2020" and first_year[3:] == ["", "", ""]  # no number where nothing is registered
