"""Mail never puts a password-set link in a log, and a deactivation voids the links sent before it."""

import os
import re
import stat

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import get_connection
from django.test import Client
from django.urls import reverse

from tests.portal.test_settings import PRODUCTION_ENV, _manage
from tests.portal.test_users import create, edit

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_production_without_mail_server_writes_mail_to_a_private_file_not_the_log(tmp_path):
    env = {**PRODUCTION_ENV, "EMAIL_HOST": "", "EMAIL_FILE_PATH": str(tmp_path / "mail")}
    script = (
        "from django.conf import settings; from django.core.mail import send_mail; "
        "print(settings.EMAIL_BACKEND); "
        "send_mail('Emne', 'https://portal/adgangskode/MQ/hemmelig-token/', None, ['a@norddjurs.dk'])"
    )
    result = _manage("shell", "--no-imports", "-c", script, env_overrides={**env, "LOG_LEVEL": "DEBUG"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "portal.mail.PrivateFileBackend"
    assert "hemmelig-token" not in result.stdout + result.stderr
    [written] = list((tmp_path / "mail").iterdir())
    assert "hemmelig-token" in written.read_text()
    assert stat.S_IMODE(os.stat(tmp_path / "mail").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600


def test_production_refuses_the_console_mail_backend():
    env = {**PRODUCTION_ENV, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "EMAIL_BACKEND=console writes password-set links to the log" in result.stderr


def test_private_file_backend_keeps_mode_0600_under_a_permissive_umask(tmp_path):
    previous = os.umask(0o000)
    try:
        connection = get_connection("portal.mail.PrivateFileBackend", file_path=str(tmp_path / "mail"))
        mail.EmailMessage("Emne", "Tekst", "a@localhost", ["b@localhost"], connection=connection).send()
    finally:
        os.umask(previous)
    [written] = list((tmp_path / "mail").iterdir())
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "mail").st_mode) == 0o700


def test_a_link_sent_before_a_deactivation_fails_after_reactivation(client_for, administrator):
    admin = client_for(administrator)
    create(admin)
    link = _link(mail.outbox[0])
    user = User.objects.get(username="mette")
    edit(admin, user, is_active="")
    user.refresh_from_db()
    edit(admin, user, is_active="on")
    assert User.objects.get(pk=user.pk).is_active
    visitor = Client()
    assert "Linket virker ikke" in visitor.get(link, follow=True).content.decode()
    admin.post(reverse("user_send_link", args=[user.pk]))  # a new link works
    page = visitor.get(_link(mail.outbox[-1]), follow=True)
    assert "Linket virker ikke" not in page.content.decode() and "new_password1" in page.content.decode()


def test_a_link_of_a_user_left_active_still_works(client_for, administrator):
    admin = client_for(administrator)
    create(admin)
    edit(admin, User.objects.get(username="mette"), first_name="Mette-Marie")
    page = Client().get(_link(mail.outbox[0]), follow=True)
    assert "new_password1" in page.content.decode()
