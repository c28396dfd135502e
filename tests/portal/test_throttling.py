"""Login throttling per address beside per username, and the client's address read behind the proxy."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.proxy import UNPARSABLE, client_ip, parse_address

pytestmark = pytest.mark.django_db
RIGHT = "Test-adgangskode-1"


def _login(client, username, password, forwarded_for=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_one_address_gets_a_bounded_number_of_guesses_across_usernames(client, member, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):  # one guess per username: far under the per-username limit of 5
        assert _login(client, f"bruger{n}", "forkert").status_code == 200
    assert _login(client, "bruger7", "forkert").status_code == 429  # the address's 8th failure
    assert _login(client, "medlem", RIGHT).status_code == 429  # even the right password, from this address
    assert "_auth_user_id" not in client.session


def test_the_address_limit_leaves_other_addresses_alone(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        _login(client, f"bruger{n}", "forkert", "198.51.100.7")
    assert _login(client, "medlem", RIGHT, "198.51.100.7").status_code == 429
    assert _login(client, "medlem", RIGHT, "203.0.113.9").status_code == 302


@pytest.mark.parametrize(
    "entry,address",
    [
        ("1.2.3.4", "1.2.3.4"),
        (" 1.2.3.4:5678 ", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("unknown", None),
        ("1.2.3.4:http", None),
        ("[2001:db8::1]x", None),
        ("_hidden", None),
        ("", None),
    ],
)
def test_forwarded_for_entries_are_parsed_with_their_port_stripped(entry, address):
    assert parse_address(entry) == address


def test_a_client_address_with_a_port_locks_like_the_address(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for port in range(5):
        _login(client, "medlem", "forkert", f"198.51.100.7:{5000 + port}")
    assert _login(client, "medlem", RIGHT, "198.51.100.7").status_code == 429
    assert _login(client, "medlem", RIGHT, "[2001:db8::1]:443").status_code == 302


def test_an_unparsable_entry_is_a_logged_hostile_key_never_the_proxy(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    caplog.set_level(logging.WARNING, logger="portal.proxy")
    request = factory.get("/", HTTP_X_FORWARDED_FOR="unknown", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == UNPARSABLE
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2")) == UNPARSABLE  # no header behind a proxy
    assert [r.entry for r in caplog.records if r.name == "portal.proxy"] == ["unknown", ""]


def test_guesses_with_unparsable_entries_do_not_lock_out_real_clients(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _login(client, "medlem", "forkert", f"garbage-{n}")
    assert _login(client, "medlem", RIGHT, "not-an-address").status_code == 429  # the hostile key is locked
    assert _login(client, "medlem", RIGHT, "203.0.113.9").status_code == 302  # nobody else is
