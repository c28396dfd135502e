"""Issue 24: check-in is open from the fair's day until CHECKIN_DAYS_AFTER days after; a sign-up whose
attendance is noted, or whose fair is held, cannot be cancelled. Both rules are said on the pages."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.fairs.models import CHECKIN_DAYS_AFTER
from events.fairs.services import signups
from events.models import CitizenSignup
from tests.support.event_data import coming_fair

pytestmark = pytest.mark.django_db


def _signed_up(fair, caseworker, name="Anna"):
    return signups.register([fair], {"name": name, "benefit_group": "anden"}, caseworker)[0]


def _check_in(client, fair, signup, attended="ja"):
    return client.post(reverse("events:checkin", args=[fair.pk]), {"signup": signup.pk, "attended": attended})


def test_check_in_before_the_fair_day_is_refused_and_the_page_says_when_it_opens(client_for, caseworker):
    fair = coming_fair(days=90)
    signup = _signed_up(fair, caseworker)
    client = client_for(caseworker)
    page = html.unescape(client.get(reverse("events:checkin", args=[fair.pk])).content.decode())
    assert "Indtjekningen er åben fra messens dag" in page
    assert 'name="attended"' not in page  # no buttons before the fair
    response = _check_in(client, fair, signup)
    signup.refresh_from_db()
    assert signup.attended is None
    assert "Indtjekningen er åben fra messens dag" in html.unescape(client.get(response["Location"]).content.decode())


@pytest.mark.parametrize("days_after", [0, CHECKIN_DAYS_AFTER])
def test_check_in_is_accepted_from_the_fair_day_until_the_window_closes(caseworker, days_after):
    fair = coming_fair(days=1)
    signup = _signed_up(fair, caseworker)
    assert signups.check_in(signup.pk, True, today=fair.date + timedelta(days=days_after)).attended is True


def test_check_in_after_the_window_is_refused(caseworker):
    fair = coming_fair(days=1)
    signup = _signed_up(fair, caseworker)
    with pytest.raises(ValidationError):
        signups.check_in(signup.pk, True, today=fair.date + timedelta(days=CHECKIN_DAYS_AFTER + 1))
    with pytest.raises(ValidationError):
        signups.check_in(signup.pk, True, today=fair.date - timedelta(days=1))
    signup.refresh_from_db()
    assert signup.attended is None


def test_check_in_on_the_fair_day_through_the_page(client_for, caseworker):
    fair = coming_fair(days=0)
    signup = _signed_up(fair, caseworker)
    _check_in(client_for(caseworker), fair, signup)
    signup.refresh_from_db()
    assert signup.attended is True


@pytest.mark.parametrize("attended", ["ja", "nej"])
def test_checked_in_citizen_cannot_be_cancelled_and_nobody_moves_up(client_for, caseworker, attended):
    fair = coming_fair(capacity=1, days=0)
    anna = _signed_up(fair, caseworker, "Anna")
    bo = _signed_up(fair, caseworker, "Bo")  # on the waiting list
    client = client_for(caseworker)
    _check_in(client, fair, anna, attended)
    page = client.get(reverse("events:signups", args=[fair.pk])).content.decode()
    assert "Fremmøde registreret" in page
    assert reverse("events:signup_cancel", args=[anna.pk]) not in page  # no cancel button beside Anna
    assert reverse("events:signup_cancel", args=[bo.pk]) in page
    assert "ikke når borgerens fremmøde er registreret" in html.unescape(page)  # the rule, on the page
    response = client.post(reverse("events:signup_cancel", args=[anna.pk]), {"bekraeft": "ja"})
    assert "fremmøde er registreret" in html.unescape(response.content.decode())
    anna.refresh_from_db()
    bo.refresh_from_db()
    assert (anna.status, bo.status) == (CitizenSignup.Status.CONFIRMED, CitizenSignup.Status.WAITING)
    with pytest.raises(ValidationError):
        signups.cancel(anna.pk)


def test_sign_up_cannot_be_cancelled_after_the_fair(caseworker):
    fair = coming_fair(days=0)
    signup = _signed_up(fair, caseworker)
    with pytest.raises(ValidationError):
        signups.cancel(signup.pk, today=fair.date + timedelta(days=1))
    assert signups.cancel(signup.pk, today=fair.date) is None  # on the day itself it still can
    signup.refresh_from_db()
    assert signup.status == CitizenSignup.Status.CANCELLED


def test_sign_up_without_attendance_is_cancelled_before_the_fair(client_for, caseworker):
    fair = coming_fair(days=14)
    signup = _signed_up(fair, caseworker)
    client_for(caseworker).post(reverse("events:signup_cancel", args=[signup.pk]), {"bekraeft": "ja"})
    signup.refresh_from_db()
    assert signup.status == CitizenSignup.Status.CANCELLED and timezone.localdate() < fair.date
