"""Issue 23: a sign-up's personal fields are listed once (CitizenSignup.PERSONAL_FIELDS); the form, the
registration and the wipe all read that list, so a personal field added to it is entered and wiped."""

from datetime import timedelta

import pytest

from events.fairs.forms import SignupForm
from events.fairs.services import privacy, signups
from events.models import CitizenSignup
from tests.support.event_data import coming_fair

pytestmark = pytest.mark.django_db

# The fields the system sets; every other field is the caseworker's and must be listed as personal or kept.
SYSTEM_FIELDS = {
    "id",
    "fair",
    "consent_date",
    "status",
    "attended",
    "registered_by",
    "registered_at",
    "status_changed_at",
    "anonymised_at",
    "submission_key",
}


def test_every_signup_field_is_personal_kept_or_the_systems():
    fields = {field.name for field in CitizenSignup._meta.concrete_fields}
    listed = set(CitizenSignup.PERSONAL_FIELDS) | set(CitizenSignup.KEPT_FIELDS)
    assert not listed & SYSTEM_FIELDS
    assert fields - SYSTEM_FIELDS == listed, "a new field of a sign-up must be listed as personal (wiped) or kept"


def test_signup_form_asks_for_the_listed_fields():
    form = SignupForm(series=coming_fair().series)
    assert set(CitizenSignup.ENTERED_FIELDS) <= set(form.fields)


def test_a_field_added_to_the_personal_list_is_wiped(monkeypatch, caseworker, settings):
    """needs_accessibility stands in for a new personal field: listed as personal, the wipe clears it."""
    settings.FAIR_PERSONAL_DATA_DAYS = 30
    fair = coming_fair(capacity=5)
    data = {"name": "Anna", "phone": "1", "email": "a@example.dk", "benefit_group": "anden"}
    [signup] = signups.register([fair], {**data, "needs_accessibility": True, "consent_to_contact": True}, caseworker)
    monkeypatch.setattr(CitizenSignup, "PERSONAL_FIELDS", (*CitizenSignup.PERSONAL_FIELDS, "needs_accessibility"))

    assert privacy.delete_expired_personal_data(today=fair.date + timedelta(days=31)) == 1

    signup.refresh_from_db()
    assert (signup.name, signup.phone, signup.email, signup.consent_date) == ("", "", "", None)
    assert signup.needs_accessibility is False
    assert signup.benefit_group == "anden"  # kept for the aggregate figures
    history = CitizenSignup.history.filter(id=signup.pk)
    assert set(history.values_list("name", "needs_accessibility")) == {("", False)}


def test_the_wipe_keeps_a_field_not_listed_as_personal(caseworker, settings):
    settings.FAIR_PERSONAL_DATA_DAYS = 30
    fair = coming_fair(capacity=5)
    [signup] = signups.register(
        [fair], {"name": "Bo", "benefit_group": "anden", "needs_accessibility": True}, caseworker
    )

    privacy.delete_expired_personal_data(today=fair.date + timedelta(days=31))

    signup.refresh_from_db()
    assert signup.name == "" and signup.needs_accessibility is True
