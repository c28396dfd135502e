"""The logged-in user comes from the cache (portal.auth), and every change to the user counts at the next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.roles import Role

pytestmark = pytest.mark.django_db

ADMIN_PAGE = reverse("user_list")  # administrators only
START = reverse("start")


def user_queries(client, url=START) -> tuple[int, list[str]]:
    """The page's status and the queries it ran against the user and group tables."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, [q["sql"] for q in captured if "auth_user" in q["sql"] or "auth_group" in q["sql"]]


def test_user_and_role_are_read_once_then_from_the_cache(client_for, member):
    client = client_for(member)
    status, first = user_queries(client)
    assert status == 200 and len(first) == 2  # the user, their groups
    assert user_queries(client) == (200, [])


def test_deactivated_user_is_logged_out_at_the_next_request(client_for, member):
    client = client_for(member)
    user_queries(client)
    member.is_active = False
    member.save()
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_deleted_user_is_logged_out_at_the_next_request(client_for, member):
    client = client_for(member)
    user_queries(client)
    member.delete()
    assert client.get(reverse("start")).status_code == 302


def test_new_password_ends_the_session_at_the_next_request(client_for, member):
    client = client_for(member)
    user_queries(client)
    member.set_password("Et-helt-nyt-kodeord-2026")
    member.save()
    assert client.get(reverse("start")).status_code == 302


@pytest.mark.parametrize("through_the_group", [False, True])
def test_role_changes_count_at_the_next_request(client_for, member, through_the_group):
    client = client_for(member)
    assert user_queries(client, ADMIN_PAGE)[0] == 403
    administrators = Group.objects.get(name=Role.ADMINISTRATOR.group_name)
    if through_the_group:
        administrators.user_set.add(member)
    else:
        member.groups.add(administrators)
    assert user_queries(client, ADMIN_PAGE)[0] == 200
    if through_the_group:
        administrators.user_set.clear()
    else:
        member.groups.remove(administrators)
    assert user_queries(client, ADMIN_PAGE)[0] == 403
    member.groups.clear()  # no role at all
    assert client.get(reverse("start")).status_code == 403
