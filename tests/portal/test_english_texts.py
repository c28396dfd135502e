"""Texts written in Python (audit kinds, export headers, reasons, the benchmark) follow the chosen language."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.fairs.services import signups
from events.models import Fair, FairSeries
from plans.evaluation import RuleKind, TargetRule, evaluate
from plans.models import Indicator
from plans.services import status

pytestmark = pytest.mark.django_db


def english(client):
    client.post(reverse("set_language"), {"language": "en"})
    return client


def test_audit_page_names_the_kind_of_change_in_english(client_for, administrator):
    client = english(client_for(administrator))
    client.post(reverse("plans:goal_owner", args=[2024, 6, 10]), {"owner": "Virksomhedsservice"})
    client.post(reverse("user_new"), {"username": "mette", "email": "m@norddjurs.dk", "role": "Udvalgsmedlem"})
    text = client.get(reverse("audit_list")).content.decode()
    assert ">Changed</td>" in text and ">Created</td>" in text
    assert "Ændret" not in text and "Oprettet" not in text


def test_export_headers_follow_the_language(client_for, caseworker):
    fair = Fair.objects.create(
        series=FairSeries.objects.get(), venue="Grenaa Bibliotek", date=timezone.localdate() + timedelta(days=3)
    )
    signups.register([fair], {"name": "Anna", "benefit_group": "anden"}, caseworker)
    client = english(client_for(caseworker))
    header = (
        client.get(reverse("events:participants", args=[fair.pk]), {"eksport": "csv"})
        .content.decode("utf-8-sig")
        .splitlines()[0]
    )
    assert "Phone" in header and "Telefon" not in header and "Navn" not in header


def test_evaluation_reasons_follow_the_language_but_stored_ones_stay_danish(client_for, administrator):
    rule = TargetRule(kind=RuleKind.AT_LEAST, frequency_months=6, threshold=None)
    with translation.override("en"):
        assert evaluate(rule, [], date(2025, 1, 1)).reason == "There are no figures yet."
        indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
        status.refresh([indicator.id])
    indicator.refresh_from_db()
    assert indicator.status_reason == "Der er ingen tal endnu."


def test_benchmark_and_user_pages_in_english(client_for, administrator):
    client = english(client_for(administrator))
    assert "Norddjurs: no. 23 of 98" in client.get(reverse("plans:benchmark")).content.decode()
    text = client.get(reverse("user_new")).content.decode()
    assert "Create user" in text and "First name" in text and "No role (no access)" in text
    budget = client.get(reverse("investments:budget")).content.decode()
    assert "not registered" in budget and "ikke registreret" not in budget


def test_english_csv_has_commas_between_cells_and_a_decimal_point(client_for, member):
    from tests.support.plan_data import add

    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    add(indicator, "2024M06", "26.5")
    url = reverse("plans:goal_detail", args=[2024, 6, 10])
    params = {"eksport": "csv", "indikator": indicator.id}
    danish = client_for(member).get(url, params).content.decode("utf-8-sig").splitlines()
    assert danish[0].startswith("Periode;Værdi;") and "juni 2024;26,500;" in danish[1]
    rows = english(client_for(member)).get(url, params).content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Period,Value,") and ",26.500," in rows[1]
