"""The smaller forms: bad input gets a Danish message and changes nothing."""

import html

import pytest
from django.urls import reverse

from events.models import CitizenSignup, Fair, GroupSeat
from plans.models import GoalComment
from tests.support.event_data import coming_fair

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def fair():
    return coming_fair(capacity=3, days=5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_code": "2024H2", "text": ""}, "Dette felt er påkrævet."),
        ({"period_code": "1999H1", "text": "x"}, "er ikke en af de tilgængelige"),
    ],
)
def test_goal_remark_refused(client_for, administrator, data, message):
    response = client_for(administrator).post(reverse("plans:comment_add", args=[2024, 6, 10]), data, follow=True)
    assert "Bemærkningen blev ikke gemt" in text(response) and message in text(response)
    assert not GoalComment.objects.exists()


@pytest.mark.parametrize("capacity", ["mange", "-1"])
def test_capacity_refused(client_for, administrator, fair, capacity):
    response = client_for(administrator).post(
        reverse("events:fair_capacity", args=[fair.pk]), {"capacity": capacity}, follow=True
    )
    assert "Antallet af pladser skal være et helt tal, 0 eller derover." in text(response)
    fair.refresh_from_db()
    assert fair.capacity == 3


def test_new_fair_refused_without_a_valid_date(client_for, administrator):
    before = Fair.objects.count()
    response = client_for(administrator).post(
        reverse("events:fair_add"), {"venue": "Auning Bibliotek", "date": "21. marts"}, follow=True
    )
    assert "Messen blev ikke oprettet" in text(response) and "Indtast en gyldig dato." in text(response)
    assert Fair.objects.count() == before


def test_seat_refused_with_a_bad_date(client_for, administrator):
    seat = GroupSeat.objects.get(title="Lønmodtagerrepræsentant fra NBR")
    response = client_for(administrator).post(
        reverse("events:seat_edit", args=[seat.pk]), {"holder": "X", "appointed_on": "i går"}
    )
    assert "Indtast en gyldig dato." in text(response)
    seat.refresh_from_db()
    assert seat.holder == ""


def test_check_in_without_a_choice_is_refused(client_for, caseworker, fair):
    signup = CitizenSignup.objects.create(
        fair=fair, name="Anna", benefit_group="anden", status="tilmeldt", registered_by=caseworker
    )
    response = client_for(caseworker).post(
        reverse("events:checkin", args=[fair.pk]), {"signup": signup.pk, "attended": "måske"}, follow=True
    )
    assert "Vælg en borger og 'Mødt' eller 'Ikke mødt'." in text(response)
    signup.refresh_from_db()
    assert signup.attended is None


def test_check_in_of_another_fairs_citizen_is_not_found(client_for, caseworker, fair):
    other = Fair.objects.create(series=fair.series, venue="Auning Bibliotek", date=fair.date)
    signup = CitizenSignup.objects.create(
        fair=other, name="Bo", benefit_group="anden", status="tilmeldt", registered_by=caseworker
    )
    response = client_for(caseworker).post(
        reverse("events:checkin", args=[fair.pk]), {"signup": signup.pk, "attended": "ja"}
    )
    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.attended is None
