"""The budget follow-up as a PDF for the agenda (WeasyPrint): A4, the overview, every group, page numbers."""

import io

import pytest
from django.urls import reverse

from plans.core.benefits import BUDGET_GROUPS
from portal import pdf as portal_pdf
from tests.conftest import IN_CI
from tests.support.budget_data import add_budgets, fill_figures

pytestmark = pytest.mark.django_db
A4 = (595.3, 841.9)  # points
URL = reverse("budget:overview")


@pytest.fixture
def pdf_tools():
    if not portal_pdf.available():
        message = "WeasyPrint eller Pango mangler; se README (Opsætning). CI installerer dem."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return pytest.importorskip("pypdf")


def test_the_follow_up_downloads_as_an_a4_pdf_with_every_group(client_for, member, pdf_tools):
    fill_figures(2026, 5)
    add_budgets(2026)
    response = client_for(member).get(URL, {"aar": 2026, "opfoelgning": "juni", "eksport": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="budgetopfoelgning-2026-juni.pdf"'
    reader = pdf_tools.PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    for page in reader.pages:
        assert [round(float(x), 1) for x in page.mediabox.upper_right] == list(A4)
    text = "\n".join(pages)
    assert "Budgetopfølgning juni 2026" in pages[0] and "Overblik" in pages[0]
    assert "januar til og med maj 2026." in pages[0]
    for group in BUDGET_GROUPS:
        assert str(group.label) in text, group.key
    assert "Sådan regnes skønnet" in text and "forventet merforbrug ca." in text
    for number in range(1, len(pages) + 1):
        assert f"Side {number} af {len(pages)}" in pages[number - 1]


def test_a_group_without_figures_or_budget_says_so_in_the_pdf(client_for, member, pdf_tools):
    response = client_for(member).get(URL, {"aar": 2026, "opfoelgning": "april", "eksport": "pdf"})
    text = "\n".join(p.extract_text() for p in pdf_tools.PdfReader(io.BytesIO(response.content)).pages)
    assert "Budgetopfølgning april 2026" in text
    assert "Ingen tal importeret endnu." in text and "Intet budget indtastet for 2026." in text


def test_the_page_links_to_the_pdf(client_for, member):
    text = client_for(member).get(URL, {"aar": 2026, "opfoelgning": "juni"}).content.decode()
    assert "?aar=2026&amp;opfoelgning=juni&amp;eksport=pdf" in text and "PDF til dagsordenen" in text


def test_without_weasyprint_the_pdf_link_explains_instead_of_failing(client_for, member, monkeypatch):
    def missing():
        raise portal_pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(portal_pdf, "_weasyprint", missing)
    client = client_for(member)
    response = client.get(URL, {"aar": 2026, "opfoelgning": "juni", "eksport": "pdf"})
    assert response.status_code == 302 and response["Location"] == URL + "?aar=2026&opfoelgning=juni"
    assert "PDF-udgaven kan ikke laves på denne server" in client.get(response["Location"]).content.decode()
