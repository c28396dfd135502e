"""Security: login throttling, headers, the audit trail, uploads, privacy in the history."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.fairs.services import privacy, signups
from events.models import CitizenSignup, Fair, FairSeries, Meeting, MeetingDocument
from investments.models import YearlyFigure

pytestmark = pytest.mark.django_db


def test_password_guessing_locks_the_login(client, member):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "medlem", "password": "forkert"})
        assert response.status_code == 200
    assert client.post(reverse("login"), {"username": "medlem", "password": "forkert"}).status_code == 429  # the 5th
    response = client.post(
        reverse("login"), {"username": "medlem", "password": "Test-adgangskode-1"}
    )  # even the right one
    assert response.status_code == 429
    assert "Login midlertidigt spærret" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(client, member):
    for _ in range(4):
        client.post(reverse("login"), {"username": "medlem", "password": "forkert"})
    assert client.post(reverse("login"), {"username": "medlem", "password": "Test-adgangskode-1"}).status_code == 302


def _login(client, password, forwarded_for):
    """A login through the TLS proxy, which puts the client's address last in X-Forwarded-For."""
    data = {"username": "medlem", "password": password}
    return client.post(reverse("login"), data, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_lockout_behind_the_proxy_locks_only_the_guessing_client(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _login(client, "forkert", "198.51.100.7")
    assert _login(client, "Test-adgangskode-1", "198.51.100.7").status_code == 429
    # The guesser forges an earlier entry; the proxy still appends its real address.
    assert _login(client, "Test-adgangskode-1", "203.0.113.9, 198.51.100.7").status_code == 429
    response = _login(client, "Test-adgangskode-1", "203.0.113.9")  # the member, from another client
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_lockout_without_a_proxy_ignores_a_forged_forwarded_for(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        _login(client, "forkert", f"198.51.100.{attempt}")
    response = _login(client, "Test-adgangskode-1", "203.0.113.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_responses_carry_security_headers(client_for, member):
    response = client_for(member).get(reverse("start"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_other_hosts(client_for, administrator):
    client = client_for(administrator)
    for url in (
        reverse("start"),
        reverse("plans:goal_detail", args=[2024, 1, 1]),
        reverse("investments:overview"),
        reverse("events:fair_list"),
    ):
        text = client.get(url).content.decode()
        assert 'src="http' not in text and 'href="http' not in text.replace('href="http://testserver', "")
        assert "<script>" not in text  # no inline scripts: the CSP would block them


def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_audit_trail_records_who_changed_what(client_for, administrator):
    client = client_for(administrator)
    client.post(
        reverse("investments:figure_save", args=[2]), {"year": "2021", "investment": "1,800", "savings": "-1,724"}
    )
    record = YearlyFigure.history.filter(proposal__number=2, year=2021).latest()
    assert record.history_user == administrator and record.history_type == "~"
    page = client.get(reverse("audit_list")).content.decode()
    assert "Administrator" in page and "Ændret" in page
    detail = client.get(reverse("audit_detail", args=["investments.YearlyFigure", record.history_id])).content.decode()
    assert "Investering i indsats" in detail and "1,796" in html.unescape(detail).replace(".", ",") or "1.796" in detail


def test_audit_pages_are_for_administrators(client_for, caseworker):
    assert client_for(caseworker).get(reverse("audit_list")).status_code == 403


def test_audit_detail_refuses_untracked_models(client_for, administrator):
    assert client_for(administrator).get(reverse("audit_detail", args=["auth.User", 1])).status_code == 404


def test_privacy_deletion_also_wipes_the_audit_trail(caseworker, settings):
    settings.FAIR_PERSONAL_DATA_DAYS = 30
    fair = Fair.objects.create(
        series=FairSeries.objects.get(), venue="Auning Bibliotek", date=timezone.localdate() + timedelta(days=1)
    )
    signup = signups.register(
        [fair],
        {"name": "Hemmelig Hansen", "benefit_group": "anden", "phone": "1", "consent_to_contact": True},
        caseworker,
    )[0]
    signups.cancel(signup.pk)
    privacy.delete_expired_personal_data(today=fair.date + timedelta(days=31))
    assert not CitizenSignup.history.filter(name__contains="Hansen").exists()
    assert not CitizenSignup.history.exclude(phone="").exists()


def test_uploaded_documents_get_random_names(client_for, administrator):
    meeting = Meeting.objects.first()
    client_for(administrator).post(
        reverse("events:document_upload", args=[meeting.pk]),
        {"kind": "dagsorden", "title": "Dagsorden", "file": SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF")},
    )
    document = MeetingDocument.objects.get()
    assert (
        document.file.name.startswith("moeder/")
        and "passwd" not in document.file.name
        and ".." not in document.file.name
    )
    response = client_for(administrator).get(reverse("events:document_download", args=[document.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="dagsorden.pdf"'


def test_uploads_live_outside_the_static_root(settings):
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_hand_corrected_observations_keep_who_and_the_replaced_value(client_for, administrator):
    from plans.models import Indicator, Observation, ObservationChange

    indicator = Indicator.objects.get(goal__major=1, goal__minor=3)
    for value in ("72", "74"):
        client_for(administrator).post(
            reverse("plans:observation_add", args=[indicator.pk]),
            {f"obs{indicator.pk}-period_code": "2024H2", f"obs{indicator.pk}-value": value},
        )
    observation = Observation.objects.get(indicator=indicator, period_code="2024H2")
    assert (observation.entered_by, observation.value) == (administrator, Decimal("74"))
    change = ObservationChange.objects.get(observation=observation)
    assert (change.replaced_by, change.value) == (administrator, Decimal("72"))
