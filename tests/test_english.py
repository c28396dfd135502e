"""English pages write periods, dates and status reasons in English; Danish pages as before.

The walk opens every page of the permission matrix (tests/portal/test_permissions.py) as each role, in
English, with figures, reasons, a benchmark period and dated records in the database, and looks for
Danish period names, dates and reasons. The documents' own texts (goal titles, metrics, notes, names:
what the plan and the sources wrote) stay Danish; they are taken out of the page before it is read.
"""

import html
import re
from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation

from plans.models import BenchmarkPeriod, Indicator, Plan, StatusChange
from plans.services import report_pdf, status
from portal.periods import parse_period
from tests.portal.test_permissions import DATA_OWNER_GET, LEVEL, MATRIX, _url, objects  # noqa: F401 (a fixture)
from tests.support.plan_data import add

pytestmark = pytest.mark.django_db

# Lower case as Danish writes them; capitalised only where the English name differs (April is both).
DANISH_MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
    "|Januar|Februar|Marts|Maj|Juni|Juli|Oktober"
)
DANISH = re.compile(
    r"(?i:\d\. halvår|\d\. kvt\.|\bhv\. \d|12 mdr\. til og med)"  # periods
    r"|\b(?:jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\.\s\d{4}"  # short months (mar. 2024)
    rf"|\b(?:{DANISH_MONTHS}) \d{{4}}|\d{{1,2}}\. (?:{DANISH_MONTHS})\b"  # marts 2024, 26. november
    r"|(?i:ingen tal endnu|Nyeste tal er for|Sammenligningstallet mangler|grænseværdi er ikke fastsat)"  # reasons
    r"|at sammenligne med"
)
# Texts the portal writes itself, though stored: they must follow the reader's language.
PORTAL_WRITTEN = {"status_reason", "reason", "label"}


def _english(client):
    client.post(reverse("set_language"), {"language": "en"})
    return client


def _documents_texts() -> list[str]:
    """Every text the documents and the users wrote (the apps' text fields, longest first)."""
    texts = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("plans", "investments", "events", "auth") or model.__name__.startswith(
            "Historical"
        ):
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and f.name not in PORTAL_WRITTEN
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            texts.update(t for t in row if isinstance(t, str) and len(t) > 3)
    return sorted(texts, key=len, reverse=True)


def _danish_in(page: str, documents: list[str]) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)))
    text = re.sub(r"\s+", " ", text)
    for document in documents:
        text = text.replace(re.sub(r"\s+", " ", document), " ")
    return [text[max(m.start() - 40, 0) : m.end() + 40] for m in DANISH.finditer(text)]


@pytest.fixture
def figures():
    """Figures, an old figure and reasons of every kind, and a status history."""
    indicators = list(Indicator.objects.filter(goal__plan__year=2024).order_by("goal__major", "goal__minor"))
    for indicator in indicators[:4]:
        for code, value in (("2024H1", "20.0"), ("2024H2", "24.5"), ("2024Q3", "22.0"), ("2024M11", "23.0")):
            add(indicator, code, value)
    add(indicators[4], "2020H2", "10.0")  # too old: "Nyeste tal er for 2. halvår 2020 ..."
    status.refresh(today=date(2025, 3, 1))
    assert StatusChange.objects.exclude(reason="").exists()
    return indicators


@pytest.mark.parametrize("persona", ["member", "caseworker", "administrator", "data_owner"])
def test_english_pages_have_no_danish_periods_dates_or_reasons(request, client, objects, figures, persona):  # noqa: F811
    client.force_login(request.getfixturevalue(persona))
    _english(client)
    documents = _documents_texts()
    opened, found = 0, {}
    for name, (_kwargs, lowest, _post) in MATRIX.items():
        if persona == "data_owner":
            if DATA_OWNER_GET.get(name) != 200:
                continue
        elif lowest == "post-only" or LEVEL[persona] < LEVEL[lowest]:
            continue
        url = _url(name, objects)
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        opened += 1
        danish = _danish_in(response.content.decode(), documents)
        if danish:
            found[url] = danish
    assert opened >= (3 if persona == "data_owner" else 10)
    assert found == {}


def test_the_walk_finds_what_a_danish_page_writes(client, objects, figures, member):  # noqa: F811
    """The walk's patterns catch the Danish pages' periods, dates and reasons: it cannot pass by reading nothing."""
    client.force_login(member)
    page = client.get(reverse("plans:goal_detail", args=[2024, 6, 10])).content.decode()
    assert _danish_in(page, _documents_texts())


def test_english_goal_page_writes_the_period_date_and_reason_in_english(client, figures, member):
    goal = figures[4].goal
    client.force_login(member)
    page = _english(client).get(reverse("plans:goal_detail", args=[2024, goal.major, goal.minor])).content.decode()
    assert "The newest figure is for H2 2020;" in page  # the stored reason, and the status history's
    assert re.search(r">\d{1,2} [A-Z][a-z]+ 20\d\d \d\d:\d\d<", page)  # the history's date and time


@pytest.mark.parametrize("page", ["plans:goal_list", "plans:report"])
def test_english_stacked_tables_label_the_target_value_target_not_goals(client, figures, member, page):
    """On a phone each value follows its column's name; the target value's "Mål" is a target, not the goals."""
    client.force_login(member)
    html = _english(client).get(reverse(page)).content.decode()
    assert 'data-label="Target"' in html
    assert 'data-label="Goals"' not in html


@pytest.mark.parametrize(
    ("code", "danish", "english"),
    [
        ("2024M03", "marts 2024", "March 2024"),
        ("2026Q3", "3. kvt. 2026", "Q3 2026"),
        ("2024H2", "2. halvår 2024", "H2 2024"),
        ("2024", "2024", "2024"),
        ("2021QMAT02", "2. halvår 2020 - 1. halvår 2021", "H2 2020 – H1 2021"),
        ("2024QMAT01", "12 mdr. til og med 1. kvt. 2024", "12 months to Q1 2024"),
    ],
)
def test_period_label_is_made_in_the_active_language(code, danish, english):
    period = parse_period(code)
    with translation.override("da"):
        assert period.label == danish
    with translation.override("en"):
        assert period.label == english


def test_short_labels_follow_the_language():
    with translation.override("da"):
        assert parse_period("2024M03").short_label == "mar.\u00a02024"
    with translation.override("en"):
        assert parse_period("2024M03").short_label == "Mar\u00a02024"


def test_stored_reason_stays_danish_and_is_shown_in_the_readers_language():
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    add(indicator, "2020H2", "10.0")
    Indicator.objects.filter(pk=indicator.pk).update(evaluated_at=None)  # never evaluated: the refresh records it
    with translation.override("en"):  # an English administrator's import triggers the refresh
        status.refresh([indicator.id], today=date(2025, 3, 1))
    indicator.refresh_from_db()
    change = StatusChange.objects.filter(indicator=indicator).latest("changed_at")
    danish = "Nyeste tal er for 2. halvår 2020; der skulle være tal, der højst er 9 måneder gamle."
    assert indicator.status_reason == danish and change.reason == danish
    with translation.override("da"):
        assert indicator.shown_reason == danish and change.shown_reason == danish
    with translation.override("en"):
        assert indicator.shown_reason.startswith("The newest figure is for H2 2020;")
        assert change.shown_reason == indicator.shown_reason


def test_a_reason_stored_before_its_parts_were_kept_is_shown_as_written():
    change = StatusChange(reason="Der er ingen tal endnu.", reason_parts={})
    with translation.override("en"):
        assert change.shown_reason == "Der er ingen tal endnu."


def test_benchmark_period_is_labelled_from_its_code_and_keeps_its_stored_label():
    period = BenchmarkPeriod.objects.get(code="2021QMAT02")
    assert period.label == "2. halvår 2020 - 1. halvår 2021"
    with translation.override("en"):
        assert period.shown_label == "H2 2020 – H1 2021"
        assert BenchmarkPeriod(code="DEMO-2024QMAT04", label="x").shown_label == "H1 2024 – H2 2024"
        assert BenchmarkPeriod(code="ukendt", label="som skrevet").shown_label == "som skrevet"


def test_report_pdf_title_and_dates_in_english():
    plan, half = Plan.objects.get(year=2024), parse_period("2024H2")
    with translation.override("en"):
        text = report_pdf.html(plan, half, [], date(2026, 11, 26))
    assert "<title>Half-yearly goal follow-up: H2 2024</title>" in text
    assert "26 November 2026" in text and "31 December 2024" in text
    assert not DANISH.search(text.replace(plan.title, ""))
    with translation.override("da"):
        danish = report_pdf.html(plan, half, [], date(2026, 11, 26))
    assert "<title>Halvårlig målopfølgning: 2. halvår 2024</title>" in danish and "26. november 2026" in danish
