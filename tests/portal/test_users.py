"""User management for administrators: create, role, deactivate, a link to set a password; all audited."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal import audit
from portal.models import UserChange
from portal.roles import Role, role_of

pytestmark = pytest.mark.django_db
NEW = {
    "username": "mette",
    "first_name": "Mette",
    "last_name": "Holm",
    "email": "meho@norddjurs.dk",
    "role": "Sagsbehandler",
}


def create(client, **changes):
    return client.post(reverse("user_new"), {**NEW, "send_link": "on", **changes})


def edit(client, user, **changes):
    role = role_of(User.objects.get(pk=user.pk))
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": role.group_name if role else "",
        "is_active": "on" if user.is_active else "",
        **changes,
    }
    return client.post(
        reverse("user_edit", args=[user.pk]), {k: v for k, v in data.items() if v != ""} | {"role": data["role"]}
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_administrator_creates_a_user_who_gets_a_danish_link_and_sets_a_password(client_for, administrator, client):
    response = create(client_for(administrator))
    assert response.status_code == 302
    user = User.objects.get(username="mette")
    assert role_of(user) == Role.CASEWORKER and not user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["meho@norddjurs.dk"]
    assert message.subject == "Udvalgsportalen: vælg din adgangskode"
    assert "Kære Mette Holm" in message.body and "Dit brugernavn er: mette" in message.body
    link = link_in(message)
    client.logout()
    form = client.get(link, follow=True)
    assert "Vælg adgangskode" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Grenaa-Havn-2024", "new_password2": "Grenaa-Havn-2024"},
        follow=True,
    )
    assert "Adgangskoden er gemt" in done.content.decode()
    login = client.post(reverse("login"), {"username": "mette", "password": "Grenaa-Havn-2024"})
    assert login.status_code == 302 and login["Location"] == reverse("start")
    assert "Linket virker ikke" in client.get(link, follow=True).content.decode()  # only once
    actions = list(UserChange.objects.filter(user=user).order_by("id").values_list("action", "changed_by__username"))
    assert actions == [("oprettet", "administrator"), ("link_sendt", "administrator"), ("adgangskode_sat", "mette")]


def test_the_password_rules_apply_on_the_link_page(client_for, administrator, client):
    create(client_for(administrator))
    client.logout()
    form = client.get(link_in(mail.outbox[0]), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "1234", "new_password2": "1234"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not User.objects.get(username="mette").has_usable_password()


def test_administrator_sets_the_role_and_deactivates(client_for, administrator, member):
    client = client_for(administrator)
    assert edit(client, member, role="Administrator").status_code == 302
    assert role_of(User.objects.get(pk=member.pk)) == Role.ADMINISTRATOR
    edit(client, member, is_active="")
    member.refresh_from_db()
    assert not member.is_active
    assert client.get(reverse("user_list")).status_code == 200
    changes = list(UserChange.objects.filter(user=member).order_by("id"))
    assert [c.action for c in changes] == ["rolle", "deaktiveret"]
    assert changes[0].changes == [["Rolle", "Udvalgsmedlem", "Administrator"]]


def test_a_deactivated_user_is_logged_out_and_gets_no_link(client_for, administrator, member):
    admin = client_for(administrator)
    member_client = Client()  # a second browser, where the member is logged in
    member_client.force_login(member)
    edit(admin, member, is_active="")
    assert member_client.get(reverse("start")).status_code == 302  # to the login page
    admin.post(reverse("user_send_link", args=[member.pk]))
    assert mail.outbox == []


def test_an_administrator_cannot_lock_themself_out(client_for, administrator):
    client = client_for(administrator)
    response = edit(client, administrator, is_active="", role="Udvalgsmedlem")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Du kan ikke deaktivere dig selv." in text and "Du kan ikke fjerne din egen administratorrolle." in text
    administrator.refresh_from_db()
    assert administrator.is_active and role_of(administrator) == Role.ADMINISTRATOR


def test_a_superuser_is_not_managed_by_a_portal_administrator(client_for, administrator):
    boss = User.objects.create_superuser("chef", "chef@norddjurs.dk", "x")
    client = client_for(administrator)
    assert client.get(reverse("user_edit", args=[boss.pk])).status_code == 403
    assert client.post(reverse("user_send_link", args=[boss.pk])).status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "Medlem"}, "Brugernavnet er allerede i brug."),
        ({"email": "MEDLEM@norddjurs.dk"}, "En anden bruger har allerede denne e-mailadresse."),
        ({"email": ""}, "Skriv en e-mailadresse, så linket kan sendes, eller fravælg linket."),
        ({"role": "Superhelt"}, "Superhelt er ikke en af de tilgængelige valgmuligheder."),
        ({"username": "to ord"}, "Indtast et gyldigt brugernavn."),
        ({"username": "SSO-abc"}, "Brugernavne, der begynder med &#x27;sso-&#x27;, er forbeholdt kommunens login."),
    ],
    ids=[
        "username taken (any case)",
        "email taken (any case)",
        "no email for the link",
        "unknown role",
        "bad username",
        "sso- reserved",
    ],
)
def test_create_refuses_bad_input_in_danish(client_for, administrator, member, changes, message):
    User.objects.filter(pk=member.pk).update(email="medlem@norddjurs.dk")
    response = create(client_for(administrator), **changes)
    assert response.status_code == 200 and message in response.content.decode()
    assert not User.objects.filter(first_name="Mette").exists() and mail.outbox == []


def test_a_user_without_a_role_gets_no_access(client_for, administrator, client):
    create(client_for(administrator), role="", send_link="")
    user = User.objects.get(username="mette")
    assert role_of(user) is None and mail.outbox == []
    client.force_login(user)
    assert client.get(reverse("plans:goal_list")).status_code == 403


def test_user_changes_are_on_the_audit_page(client_for, administrator, member):
    client = client_for(administrator)
    edit(client, member, first_name="Mona", role="Sagsbehandler")
    entries = [e for e in audit.recent() if e.model == "portal.UserChange"]
    assert {e.kind for e in entries} == {"Oplysninger ændret", "Rolle ændret"}
    assert all(e.who == "Administrator" and e.object.endswith("medlem") for e in entries)
    text = client.get(reverse("audit_list")).content.decode()
    assert "Rolle ændret" in text
    changed = next(e for e in entries if e.kind == "Oplysninger ændret")
    detail = client.get(reverse("audit_detail", args=[changed.model, changed.history_id])).content.decode()
    assert "Fornavn" in detail and "Medlem" in detail and "Mona" in detail
    assert client.get(reverse("audit_detail", args=["portal.UserChange", 999999])).status_code == 404


def test_user_list_shows_each_users_role_and_a_link_to_add_one(client_for, administrator):
    client = client_for(administrator)
    for i in range(10):
        create(client, username=f"bruger{i}", email=f"b{i}@norddjurs.dk", send_link="")
    text = client.get(reverse("user_list")).content.decode()
    assert text.count("Sagsbehandler") >= 10 and reverse("user_new") in text


def test_a_single_sign_on_user_gets_no_password_link(client_for, administrator):
    sso = User.objects.create_user("sso-4f1c", first_name="Sara", email="sara@norddjurs.dk")
    client = client_for(administrator)
    text = client.get(reverse("user_edit", args=[sso.pk])).content.decode()
    assert "Brugeren logger ind med kommunens login." in text
    assert reverse("user_send_link", args=[sso.pk]) not in text
    page = client.post(reverse("user_send_link", args=[sso.pk]), follow=True).content.decode()
    assert "har ingen adgangskode i portalen" in page and mail.outbox == []
    edit(client, sso, is_active="")
    sso.refresh_from_db()
    assert not sso.is_active


def test_demo_users_without_an_e_mail_can_be_saved_with_a_new_role(client_for, administrator, settings):
    from django.core.management import call_command

    settings.DEMO_USERS = True
    call_command("create_demo_users", stdout=io.StringIO())
    client = client_for(administrator)
    for username in ("medlem", "sagsbehandler", "dataansvarlig"):
        demo = User.objects.get(username=username)
        assert demo.email == ""
        response = client.post(
            reverse("user_edit", args=[demo.pk]),
            {"first_name": demo.first_name, "role": Role.CASEWORKER.group_name, "is_active": "on"},
        )
        assert response.status_code == 302, response.content.decode()
        demo.refresh_from_db()
        assert role_of(demo) == Role.CASEWORKER and demo.email == ""


def test_a_user_is_created_without_an_e_mail_when_no_link_is_sent(client_for, administrator):
    response = create(client_for(administrator), email="", send_link="")
    assert response.status_code == 302
    assert User.objects.get(username="mette").email == "" and mail.outbox == []
