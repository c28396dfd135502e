"""Two identical "create" requests at the same moment give one row and one form error, never a 500.

The second request's form checked for a duplicate before the first one's row existed. Here the other
request's row is created right then, between the form's validation and the save, and on PostgreSQL
two threads send the same request at once.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.fairs.forms import AssociationForm, FairForm
from events.models import Association, Fair, FairSeries
from plans.models import Plan

pytestmark = pytest.mark.django_db


@contextmanager
def created_meanwhile(form_class, make):
    """The other request's row, committed after this request's form checked for it and before its save."""
    checked = form_class._post_clean

    def check_then_lose_the_race(form):
        checked(form)
        make()

    form_class._post_clean = check_then_lose_the_race
    try:
        yield
    finally:
        form_class._post_clean = checked


def _fair_data():
    return {
        "venue": "Auning Bibliotek",
        "date": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "capacity": 30,
    }


def test_a_fair_created_meanwhile_is_the_forms_error(client_for, administrator):
    series, data = FairSeries.objects.get(), _fair_data()
    with created_meanwhile(FairForm, lambda: Fair.objects.create(series=series, **data)):
        response = client_for(administrator).post(reverse("events:fair_add"), data, follow=True)
    assert response.status_code == 200
    assert Fair.objects.filter(venue="Auning Bibliotek", date=data["date"]).count() == 1
    assert "Messen blev ikke oprettet: Der er allerede en messe på Auning Bibliotek" in response.content.decode()


def test_an_association_created_meanwhile_is_the_forms_error(client_for, caseworker):
    series = FairSeries.objects.get()
    data = {"name": "Grenaa Roklub", "status": Association.Status.INVITED}
    with created_meanwhile(AssociationForm, lambda: Association.objects.create(series=series, **data)):
        response = client_for(caseworker).post(reverse("events:association_new"), data)
    assert response.status_code == 200
    assert "Der er allerede en kulturaktør med dette navn." in response.content.decode()
    assert Association.objects.filter(name="Grenaa Roklub").count() == 1


def _at_once(user, url, data) -> list[int]:
    """The same POST from two browsers at the same moment; the status codes."""
    barrier, statuses = threading.Barrier(2), []

    def send():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_two_identical_fair_requests_at_once_give_one_fair_and_no_500(postgres, reference_data, django_user_model):
    admin = django_user_model.objects.create_superuser("admin2", password="x")
    for attempt in range(5):  # a race that passes once by luck must pass every time
        data = {**_fair_data(), "venue": f"Allingåbro Hallen {attempt}"}
        assert _at_once(admin, reverse("events:fair_add"), data) == [302, 302]
        assert Fair.objects.filter(venue=data["venue"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_plan_copies_at_once_give_one_plan_and_no_500(postgres, reference_data, django_user_model):
    admin = django_user_model.objects.create_superuser("admin2", password="x")
    source = Plan.objects.get(year=2024)
    for year in range(2031, 2034):
        assert _at_once(admin, reverse("plans:plan_new"), {"source": source.pk, "year": year, "title": ""}) == [
            302,
            302,
        ]
        plan = Plan.objects.get(year=year)
        assert plan.goals.count() == source.goals.count()
