"""A form sent without a valid CSRF token gets a 403 page in the user's language, not Django's English one."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_csrf_failure_page_is_danish_with_status_403(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("plans:comment_add", args=[2024, 1, 1]), {"text": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formularen kunne ikke sendes" in page and 'lang="da"' in page
    assert "CSRF verification failed" not in page


def test_csrf_failure_page_follows_the_chosen_language():
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
