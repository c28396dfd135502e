"""Login is required everywhere, and each view checks the role itself."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.roles import GROUP_NAMES, Role, has_role, role_of

pytestmark = pytest.mark.django_db

MEMBER_PAGES = [
    reverse("start"),
    reverse("plans:goal_list"),
    reverse("plans:goal_detail", args=[2024, 6, 10]),
    reverse("investments:overview"),
    reverse("investments:proposal_detail", args=[5]),
    reverse("events:fair_list"),
    reverse("events:project"),
]
ADMIN_PAGES = [reverse("user_list")]


def test_role_groups_are_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())


@pytest.mark.parametrize("url", MEMBER_PAGES + ADMIN_PAGES)
def test_anonymous_user_is_redirected_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_login_page_is_open_and_in_danish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Log ind" in response.text
    assert '<html lang="da">' in response.text


def test_member_logs_in_and_lands_on_the_start_page(client, member):
    response = client.post(reverse("login"), {"username": "medlem", "password": "Test-adgangskode-1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("start")
    assert "Det kan du som Udvalgsmedlem" in response.text


def test_wrong_password_gives_a_danish_error(client, member):
    response = client.post(reverse("login"), {"username": "medlem", "password": "forkert"})
    assert response.status_code == 200
    assert "korrekt brugernavn og adgangskode" in response.text


@pytest.mark.parametrize(
    ("persona", "expected_text", "absent_text"),
    [
        ("member", "Det kan du som Udvalgsmedlem", "Registrere borgeres"),
        ("caseworker", "Det kan du som Sagsbehandler", "Administrere brugere"),
        ("administrator", "Det kan du som Administrator", None),
    ],
)
def test_each_role_sees_its_start_page(request, client_for, persona, expected_text, absent_text):
    response = client_for(request.getfixturevalue(persona)).get(reverse("start"))
    assert response.status_code == 200
    assert expected_text in response.text
    if absent_text:
        assert absent_text not in response.text


# Which role may open which page is the permission matrix's job (test_permissions.py, every URL and
# persona); here only what the refusal looks like.
def test_admin_page_typed_by_hand_gives_a_danish_403(client_for, member):
    response = client_for(member).get(ADMIN_PAGES[0])
    assert response.status_code == 403
    assert "Ingen adgang" in response.text


def test_menu_shows_admin_entries_only_to_administrators(client_for, member, administrator):
    users_link = f'href="{reverse("user_list")}"'
    assert users_link not in client_for(member).get(reverse("start")).text
    assert users_link in client_for(administrator).get(reverse("start")).text


def test_django_admin_is_for_superusers_only(client_for, administrator):
    response = client_for(administrator).get("/django-admin/")
    assert response.status_code == 302  # to the admin login: a portal administrator is not staff


def test_roles_are_ordered(member, caseworker, administrator, outsider, django_user_model):
    assert role_of(member) == Role.MEMBER
    assert has_role(caseworker, Role.MEMBER) and not has_role(caseworker, Role.ADMINISTRATOR)
    assert has_role(administrator, Role.CASEWORKER)
    assert role_of(outsider) is None
    superuser = django_user_model.objects.create_superuser("root", password="x" * 12)
    assert role_of(superuser) == Role.ADMINISTRATOR


def test_inactive_user_has_no_role(member):
    member.is_active = False
    assert role_of(member) is None
