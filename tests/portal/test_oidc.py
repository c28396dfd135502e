"""Single sign-on: the portal against the test suite's own OpenID provider (tests/support/oidc_provider.py).

The Django test client plays the browser on the portal's side; the provider is a real HTTP server
that the portal's backend calls for discovery, the token, the keys and userinfo.
"""

import logging
import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth.models import Group, User
from django.urls import reverse

from portal import oidc
from portal.env import env_mapping
from portal.roles import Role, role_of
from tests.conftest import PASSWORD
from tests.paths import ROOT
from tests.support.stalling import Silent, Trickling, elapsed

pytestmark = pytest.mark.django_db
NO_ACCESS = "Du har ikke adgang til Udvalgsportalen endnu"
UNREACHABLE = "Norddjurs Kommunes login kan ikke nås lige nu."


@pytest.fixture(autouse=True)
def fresh_discovery(monkeypatch):
    """Each test asks its providers afresh: no document or failure remembered from another test's port."""
    monkeypatch.setattr(oidc, "_discovered", {})
    monkeypatch.setattr(oidc, "_failed", {})


def sso_login(client, provider, user, next_url=None):
    """Click the button, let the provider pick `user`, follow its redirect back. Returns the portal's answer."""
    start = client.get(reverse("oidc_authentication_init"), {"next": next_url} if next_url else {})
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize?"), start
    answer = requests.get(start["Location"] + f"&login_hint={user}", allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}")


def sso_user(provider, user):
    return User.objects.get(username=f"sso-{provider.users[user]['sub']}")


def test_login_page_offers_the_municipal_login_when_sso_is_configured(client, sso):
    page = client.get(reverse("login"), {"next": "/maal/"}).content.decode()
    assert "Log ind med Norddjurs Kommunes login" in page
    assert 'href="/sso/log-ind/?next=/maal/"' in page
    assert 'name="password"' in page  # local logins stay on by default


def test_login_page_has_no_municipal_login_when_sso_is_off(client):
    page = client.get(reverse("login")).content.decode()
    assert "Norddjurs Kommunes login" not in page
    assert 'name="password"' in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404


@pytest.mark.parametrize(
    ("user", "role"), [("anne", Role.MEMBER), ("sara", Role.CASEWORKER), ("adam", Role.ADMINISTRATOR)]
)
def test_sso_login_gives_the_role_of_the_mapped_group(client, sso, user, role):
    response = sso_login(client, sso, user)
    assert response.status_code == 302 and response["Location"] == reverse("start")
    assert client.get(reverse("start")).status_code == 200
    account = sso_user(sso, user)
    assert role_of(account) == role
    assert account.groups.count() == 1
    claims = sso.users[user]
    assert (account.first_name, account.last_name, account.email) == (
        claims["given_name"],
        claims["family_name"],
        claims["email"],
    )
    assert not account.has_usable_password()


def test_sso_login_returns_to_the_page_asked_for(client, sso):
    assert sso_login(client, sso, "anne", next_url="/maal/")["Location"] == "/maal/"
    assert sso_login(client, sso, "anne", next_url="https://elsewhere.example/")["Location"] == reverse("start")


def test_sso_sends_pkce_and_checks_the_id_token_signature_through_jwks(client, sso):
    sso_login(client, sso, "anne")
    [token_request] = sso.token_requests
    assert len(token_request["code_verifier"]) >= 43 and token_request["client_secret"]
    assert client.get(reverse("start")).status_code == 200


def test_user_without_a_mapped_group_gets_the_danish_page_and_no_role(client, sso):
    response = sso_login(client, sso, "ulla")
    assert response.status_code == 302 and response["Location"] == reverse("sso_no_role")
    page = client.get(response["Location"])
    assert page.status_code == 200  # a page of its own, not a refused one
    text = page.content.decode()
    assert NO_ACCESS in text
    assert "Bed Arbejdsmarkedsafdelingens IT-koordinator om at give dig adgang." in text
    assert "grp-sag" in text and "Sagsbehandler" in text  # which group gives which role
    assert not User.objects.filter(username__startswith="sso-").exists()  # no account, no default role
    assert client.get(reverse("start")).status_code == 302  # not logged in
    # The group names are shown only right after such a login, not to anyone who opens the address.
    again = client.get(reverse("sso_no_role")).content.decode()
    assert NO_ACCESS in again and "grp-sag" not in again


def test_user_without_any_groups_claim_is_refused_too(client, sso):
    assert sso_login(client, sso, "nina")["Location"] == reverse("sso_no_role")
    assert not User.objects.filter(username__startswith="sso-").exists()


def test_no_role_page_without_a_contact_names_the_manager_and_it_support(client, sso, settings):
    settings.OIDC_ACCESS_CONTACT = ""
    sso_login(client, sso, "ulla")
    text = client.get(reverse("sso_no_role")).content.decode()
    assert (
        "Bed din leder om at give dig adgang. Lederen beder kommunens IT-support om at melde dig ind i den rigtige gruppe."
        in text
    )


def test_groups_changed_at_the_provider_change_the_role_at_the_next_login(client, sso):
    sso_login(client, sso, "sara")
    assert role_of(sso_user(sso, "sara")) == Role.CASEWORKER
    client.logout()
    sso.users["sara"]["groups"] = ["grp-amu"]
    sso_login(client, sso, "sara")
    assert role_of(sso_user(sso, "sara")) == Role.MEMBER
    client.logout()
    sso.users["sara"]["groups"] = ["grp-kantine"]
    assert sso_login(client, sso, "sara")["Location"] == reverse("sso_no_role")
    account = sso_user(sso, "sara")
    assert role_of(account) is None and not account.groups.exists()
    assert client.get(reverse("start")).status_code == 302


def test_sso_user_is_matched_on_subject_not_on_email(client, sso):
    local = User.objects.create_user("anne-lokal", email="anne@norddjurs.test", password=PASSWORD)
    sso_login(client, sso, "anne")
    assert sso_user(sso, "anne").pk != local.pk
    assert role_of(local) is None


def test_id_token_for_another_client_is_refused(client, sso):
    sso.audience = "another-client"
    response = sso_login(client, sso, "anne")
    assert response["Location"] == reverse("login")
    assert client.get(reverse("start")).status_code == 302
    assert "Du blev ikke logget ind med Norddjurs Kommunes login" in client.get(reverse("login")).content.decode()


def test_a_callback_without_its_login_in_the_session_is_refused(client, sso):
    start = client.get(reverse("oidc_authentication_init"))
    answer = requests.get(start["Location"] + "&login_hint=adam", allow_redirects=False, timeout=10)
    callback = urlsplit(answer.headers["Location"])
    client.cookies.clear()  # another browser, or a forged link
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not User.objects.filter(username__startswith="sso-").exists()


def test_cancelled_login_at_the_provider_shows_a_message(client, sso):
    client.get(reverse("oidc_authentication_init"))
    response = client.get(
        reverse("oidc_authentication_callback"), {"error": "access_denied", "state": "x"}, follow=True
    )
    assert "Du blev ikke logget ind med Norddjurs Kommunes login" in response.content.decode()


def test_unreachable_provider_gives_a_danish_message(client, sso, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"  # nobody listens
    response = client.get(reverse("oidc_authentication_init"), follow=True)
    assert "Norddjurs Kommunes login kan ikke nås lige nu." in response.content.decode()


def test_hanging_provider_costs_four_clicks_one_timeout_not_four(client, sso, settings):
    """A provider that accepts and never answers: the first click waits OIDC_TIMEOUT, and the failure is
    remembered, so the next clicks answer at once instead of each holding a worker for OIDC_TIMEOUT."""
    settings.OIDC_TIMEOUT = 1
    with Silent() as provider:
        settings.OIDC_ISSUER = provider.url()
        took, pages = elapsed(
            lambda: [client.get(reverse("oidc_authentication_init"), follow=True).content.decode() for _ in range(4)]
        )
    assert all(UNREACHABLE in page for page in pages)
    assert provider.connections == 1
    assert took < 2.5 * settings.OIDC_TIMEOUT, took


def test_failed_discovery_is_asked_again_after_its_interval(client, sso, settings):
    settings.OIDC_TIMEOUT = 1
    settings.OIDC_DISCOVERY_RETRY_SECONDS = 0
    with Silent() as provider:
        settings.OIDC_ISSUER = provider.url()
        client.get(reverse("oidc_authentication_init"))
        client.get(reverse("oidc_authentication_init"))
    assert provider.connections == 2


def test_trickling_discovery_is_cut_at_the_deadline(client, sso, settings):
    """One byte every 0.1 s never meets requests' per-read timeout; the whole call is cut at OIDC_TIMEOUT."""
    settings.OIDC_TIMEOUT = 1
    with Trickling(interval=0.1) as provider:
        settings.OIDC_ISSUER = provider.url()
        took, response = elapsed(lambda: client.get(reverse("oidc_authentication_init"), follow=True))
    assert UNREACHABLE in response.content.decode()
    assert took < 2 * settings.OIDC_TIMEOUT + 0.5, took


def test_trickling_token_endpoint_is_cut_at_the_deadline(client, sso, settings):
    """The code exchange at a token endpoint that trickles: the callback answers after OIDC_TIMEOUT, not
    when the provider is done."""
    settings.OIDC_TIMEOUT = 1
    with Trickling(interval=0.1) as token_endpoint:
        settings.OIDC_OP_TOKEN_ENDPOINT = token_endpoint.url() + "/token"
        took, response = elapsed(lambda: sso_login(client, sso, "anne"))
        assert token_endpoint.connections == 1
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert UNREACHABLE in client.get(reverse("login")).content.decode()
    assert took < 2 * settings.OIDC_TIMEOUT + 1, took
    assert not User.objects.filter(username__startswith="sso-").exists()


def test_refused_sso_logins_never_lock_out_an_office_behind_one_address(client, sso, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        assert sso_login(client, sso, "ulla")["Location"] == reverse("sso_no_role")
    assert sso_login(client, sso, "anne")["Location"] == reverse("start")


def test_local_login_can_be_switched_off(client, sso, settings):
    settings.LOCAL_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = ["portal.oidc.OIDCBackend"]
    User.objects.create_user("lokal", password=PASSWORD).groups.add(Group.objects.get(name=Role.MEMBER.group_name))
    page = client.get(reverse("login")).content.decode()
    assert "Log ind med Norddjurs Kommunes login" in page and 'name="password"' not in page
    assert client.post(reverse("login"), {"username": "lokal", "password": PASSWORD}).status_code == 403
    assert client.get(reverse("start")).status_code == 302
    assert sso_login(client, sso, "anne")["Location"] == reverse("start")


def test_local_login_still_works_beside_sso(client, sso, member):
    response = client.post(reverse("login"), {"username": member.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("start")


def test_sso_log_lines_hold_the_user_id_not_the_name_or_email(client, sso, caplog):
    caplog.set_level(logging.INFO)
    sso_login(client, sso, "sara")
    [line] = [r for r in caplog.records if r.name == "portal.sso"]
    assert (line.outcome, line.user_id, line.role) == ("ok", sso_user(sso, "sara").pk, "Sagsbehandler")
    text = "\n".join(r.getMessage() + str(vars(r)) for r in caplog.records)
    assert "Sara" not in text and "sara@norddjurs.test" not in text


# --- configuration from the environment ------------------------------------------------------------


def test_group_roles_mapping_reads_commas_or_semicolons_and_keeps_a_dn_whole(monkeypatch):
    monkeypatch.setenv("OIDC_GROUP_ROLES", "grp-amu=Udvalgsmedlem, grp-sag=Sagsbehandler")
    assert env_mapping("OIDC_GROUP_ROLES") == {"grp-amu": "Udvalgsmedlem", "grp-sag": "Sagsbehandler"}
    monkeypatch.setenv("OIDC_GROUP_ROLES", "CN=AMU,OU=Grupper,DC=norddjurs,DC=dk=Udvalgsmedlem;a1b2-c3=Administrator")
    assert env_mapping("OIDC_GROUP_ROLES") == {
        "CN=AMU,OU=Grupper,DC=norddjurs,DC=dk": "Udvalgsmedlem",
        "a1b2-c3": "Administrator",
    }


def _check(env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "LOCAL_LOGIN", "DJANGO_ALLOW_ASYNC"))}
    env.update(VAR_DIR=str(tmp_path), **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SSO_ENV = {
    "OIDC_CLIENT_ID": "portal",
    "OIDC_ISSUER": "https://login.example/tenant/v2.0",
    "OIDC_GROUP_ROLES": "grp-amu=Udvalgsmedlem",
}


def test_sso_configuration_with_a_secret_file_and_local_login_off_passes_check(tmp_path):
    secret = tmp_path / "oidc-secret"
    secret.write_text("from-a-file\n")
    result = _check({**SSO_ENV, "OIDC_CLIENT_SECRET_FILE": str(secret), "LOCAL_LOGIN": "0"}, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "OIDC_CLIENT_SECRET (or OIDC_CLIENT_SECRET_FILE) must be set"),
        ({"OIDC_CLIENT_SECRET": "s", "OIDC_ISSUER": ""}, "Set OIDC_ISSUER, or OIDC_AUTHORIZATION_ENDPOINT"),
        ({"OIDC_CLIENT_SECRET": "s", "OIDC_GROUP_ROLES": ""}, "OIDC_GROUP_ROLES must map at least one"),
        (
            {"OIDC_CLIENT_SECRET": "s", "OIDC_GROUP_ROLES": "grp-amu=Borgmester"},
            "'Borgmester' (for 'grp-amu') is not a role",
        ),
        ({"OIDC_CLIENT_SECRET_FILE": "/nonexistent/secret"}, "OIDC_CLIENT_SECRET_FILE cannot be read"),
        ({"OIDC_CLIENT_ID": "", "LOCAL_LOGIN": "0"}, "LOCAL_LOGIN=0 needs single sign-on"),
    ],
)
def test_incomplete_sso_configuration_is_refused_at_start(tmp_path, overrides, message):
    result = _check({**SSO_ENV, **overrides}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 20 + "production-secret-used-only-in-this-test-0123456789"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"OIDC_SIGN_ALGO": "none"}, "OIDC_SIGN_ALGO=none would accept ID tokens without a signature"),
        ({"OIDC_SIGN_ALGO": "HS256"}, "OIDC_SIGN_ALGO=HS256 checks ID tokens with the client secret"),
        ({"OIDC_SIGN_ALGO": "XS999"}, "OIDC_SIGN_ALGO='XS999' is not one of RS256"),
        ({**PRODUCTION, "OIDC_ISSUER": "http://login.example/tenant/v2.0"}, "OIDC_ISSUER must be an https:// address"),
        (
            {**PRODUCTION, "OIDC_TOKEN_ENDPOINT": "http://login.example/token"},
            "OIDC_TOKEN_ENDPOINT must be an https:// address",
        ),
    ],
)
def test_unsafe_sso_configuration_is_refused_at_start(tmp_path, overrides, message):
    result = _check({**SSO_ENV, "OIDC_CLIENT_SECRET": "s", **overrides}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "overrides",
    [
        {"OIDC_SIGN_ALGO": "HS256", "OIDC_ALLOW_SYMMETRIC_SIGN_ALGO": "1"},  # allowed in so many words
        {"DEBUG": "1", "OIDC_ISSUER": "http://127.0.0.1:8080/realms/test"},  # a provider on the developer's machine
    ],
)
def test_symmetric_algorithm_when_allowed_and_http_issuer_with_debug_pass_check(tmp_path, overrides):
    result = _check({**SSO_ENV, "OIDC_CLIENT_SECRET": "s", **overrides}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_sso_group_mapped_to_dataansvarlig_logs_in_a_data_owner_without_a_role(client, sso, settings):
    from portal.roles import is_data_owner

    settings.OIDC_GROUP_ROLES = {**settings.OIDC_GROUP_ROLES, "grp-data": "Dataansvarlig"}
    sso.users["anne"]["groups"] = ["grp-data"]
    assert sso_login(client, sso, "anne").status_code == 302
    account = sso_user(sso, "anne")
    assert role_of(account) is None and is_data_owner(account)
    assert client.get(reverse("start"))["Location"] == reverse("collection:mine")
