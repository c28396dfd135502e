"""Investment proposals: the document's summary reproduced, the prudent budget, edits with history."""

import html
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from investments.models import Realisation, Strategy, YearlyFigure
from investments.services import summary

pytestmark = pytest.mark.django_db

# Bilag 4, "Samlet oversigt over virkningen af investeringstiltagene" (1.000 kr.); None is blank.
DOCUMENT_SUMMARY = {
    "Forslag 1": [376, -1576, -3632, -6244],
    "Forslag 2": [929, 72, -933, -1847],
    "Forslag 3": [-1105, -2885, -4440, -4440],
    "Forslag 4": [-1063, -2376, -3679, -5003],
    "Forslag 5": [-766, None, -674, -674],
    "I alt mindre forsørgelse": [-1629, -6765, -13358, -18208],
}


def overview():
    return summary.overview(Strategy.objects.get())


def test_computed_summary_equals_the_documents():
    data = overview()
    rows = {
        f"Forslag {p.proposal.number}": [summary.in_thousands(y.net) or None for y in p.years] for p in data.proposals
    }
    rows["I alt mindre forsørgelse"] = [summary.in_thousands(t) for t in data.totals]
    assert rows == {k: [None if v is None else D(v) for v in vs] for k, vs in DOCUMENT_SUMMARY.items()}


def test_break_even_years_are_computed():
    data = overview()
    assert data.break_even_year == 2020
    assert {p.proposal.number: p.break_even_year for p in data.proposals} == {
        1: 2021,
        2: 2023,
        3: 2020,
        4: 2020,
        5: 2020,
    }
    assert data.cumulative_totals[-1] == D("-39.960")


def test_prudent_budget_counts_half_the_potential():
    data = overview()
    assert [(b.year, b.potential, b.budgeted) for b in data.budget] == [
        (2020, D("-1.629"), D("-0.8145")),
        (2021, D("-6.765"), D("-3.3825")),
        (2022, D("-13.358"), D("-6.679")),
        (2023, D("-18.208"), D("-9.104")),
    ]
    total = data.budget_total()
    assert (total.potential, total.budgeted) == (D("-39.960"), D("-19.980"))


def test_prudent_share_is_a_parameter_not_a_constant():
    Strategy.objects.update(prudent_share=D("0.25"))
    assert overview().budget[0].budgeted == D("-0.40725")


def test_overview_page_reproduces_the_summary_table(client_for, member):
    text = client_for(member).get(reverse("investments:overview")).content.decode()
    for label in DOCUMENT_SUMMARY:
        assert label in text
    for value in ("-1.629", "-6.765", "-13.358", "-18.208", "376", "-1.576", "-766", "72"):
        assert f">{value}</td>" in text
    figure = json.loads(text.split('id="nettovirkning" type="application/json">')[1].split("</script>")[0])
    assert [t["name"] for t in figure["data"]] == [
        "Forslag 1",
        "Forslag 2",
        "Forslag 3",
        "Forslag 4",
        "Forslag 5",
        "Akkumuleret i alt",
    ]
    assert figure["data"][-1]["y"] == [-1629, -8394, -21752, -39960]
    assert "Datanote: forslag 5, 2021" in text


def test_summary_exports_to_csv_and_xlsx(client_for, member):
    client = client_for(member)
    body = client.get(reverse("investments:overview"), {"eksport": "csv"}).content.decode("utf-8")
    assert "I alt mindre forsørgelse;-1629,000;-6765,000;-13358,000;-18208,000" in body
    assert "Forslag 5;-766,000;;-674,000;-674,000" in body
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("investments:overview"), {"eksport": "xlsx"}).content)
        ).active.values
    )
    assert rows[0] == ("EAU investeringsforslag", "2020", "2021", "2022", "2023")
    assert rows[-1] == ("I alt mindre forsørgelse", -1629, -6765, -13358, -18208)


def test_budget_page_shows_potential_budgeted_and_realised(client_for, member, administrator):
    Realisation.objects.create(
        proposal_id=overview().proposals[0].proposal.id,
        month=date(2021, 3, 1),
        amount=D("-0.250"),
        entered_by=administrator,
    )
    text = client_for(member).get(reverse("investments:budget")).content.decode()
    assert "Andel af potentialet, der indregnes: 0,50" in text
    for value in ("-1,629", "-0,815", "-39,960", "-19,980", "-0,250"):
        assert value in text


def test_proposal_page_shows_figures_note_and_printed_value(client_for, member):
    text = client_for(member).get(reverse("investments:proposal_detail", args=[5])).content.decode()
    assert "Rekruttering til sundhedsområdet i Norddjurs" in text
    assert "trykt: 1,362" in text and "Datanote for 2021" in text
    assert "Ret årets tal" not in text  # members read only


# --- administrators' changes ---------------------------------------------------------------------


def post_figure(client, **data):
    return client.post(
        reverse("investments:figure_save", args=[1]),
        {"year": "2020", "investment": "3,079", "savings": "-2,703", **data},
    )


def test_changing_a_figure_updates_totals_chart_and_history(client_for, administrator, member):
    response = post_figure(client_for(administrator), savings="-3,703")
    assert response.status_code == 302
    assert YearlyFigure.objects.get(proposal__number=1, year=2020).savings == D("-3.703")
    data = overview()
    assert summary.in_thousands(data.totals[0]) == D(-2629)
    text = client_for(member).get(reverse("investments:overview")).content.decode()
    assert ">-2.629</td>" in text
    page = client_for(member).get(reverse("investments:proposal_detail", args=[1])).content.decode()
    assert "Besparelse på forsørgelse" in page and "-2,703" in page and "-3,703" in page  # before and after
    assert "Administrator</td>" in page or "administrator</td>" in page  # who


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"savings": "mange penge"}, "'mange penge' er ikke et tal."),
        ({"investment": "3.079,5,1"}, "'3.079,5,1' er ikke et tal."),
        ({"year": "1999"}, "Strategien dækker 2020-2023; 1999 ligger uden for."),
        ({"year": "tyve"}, "Indtast et heltal."),
        ({"savings": "-2,7031"}, "Der må maksimalt være 3 decimaler."),
    ],
)
def test_bad_figure_input_gets_a_danish_message_and_changes_nothing(client_for, administrator, data, message):
    before = list(YearlyFigure.objects.values_list("pk", "investment", "savings"))
    history = YearlyFigure.history.count()
    response = post_figure(client_for(administrator), **data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert list(YearlyFigure.objects.values_list("pk", "investment", "savings")) == before
    assert YearlyFigure.history.count() == history


def test_an_empty_figure_is_a_dash(client_for, administrator):
    post_figure(client_for(administrator), year="2023", investment="", savings="-6,244")
    figure = YearlyFigure.objects.get(proposal__number=1, year=2023)
    assert figure.investment is None


def test_realisations_are_entered_and_a_month_can_be_corrected(client_for, administrator):
    client = client_for(administrator)
    url = reverse("investments:realisation_save", args=[2])
    client.post(url, {"month": "2021-03", "amount": "-0,120", "note": "Statusmøde marts"})
    client.post(url, {"month": "2021-03", "amount": "-0,150", "note": "Rettet"})
    client.post(url, {"month": "2021-04", "amount": "-0,100"})
    realisations = list(Realisation.objects.values_list("month", "amount", "note"))
    assert realisations == [(date(2021, 3, 1), D("-0.150"), "Rettet"), (date(2021, 4, 1), D("-0.100"), "")]
    assert Realisation.history.filter(month=date(2021, 3, 1)).count() == 2
    data = overview()
    assert data.proposals[1].years[1].realised == D("-0.250")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "1999-01", "amount": "-0,1"}, "Strategien dækker 2020-2023; 1999 ligger uden for."),
        ({"month": "marts", "amount": "-0,1"}, "Indtast en gyldig dato."),
        ({"month": "2021-03", "amount": "0,1,2"}, "'0,1,2' er ikke et tal."),
    ],
)
def test_bad_realisation_input_changes_nothing(client_for, administrator, data, message):
    response = client_for(administrator).post(reverse("investments:realisation_save", args=[2]), data)
    assert message in html.unescape(response.content.decode())
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("persona", ["member", "caseworker"])
def test_only_administrators_change_figures(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert post_figure(client, savings="-9").status_code == 403
    assert (
        client.post(reverse("investments:realisation_save", args=[2]), {"month": "2021-03", "amount": "-1"}).status_code
        == 403
    )
    assert YearlyFigure.objects.get(proposal__number=1, year=2020).savings == D("-2.703")
    assert not Realisation.objects.exists()
