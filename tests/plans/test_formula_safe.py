"""Every XLSX and CSV the portal writes stores text as text: nothing a user typed becomes a formula."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from plans.imports import template
from plans.models import Goal
from plans.services import plan_xlsx
from portal.exports import csv_response, xlsx_response

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("http://x","Klik")'


def _sheet_xml(raw: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_plan_template_writes_a_formula_like_owner_as_a_string_and_imports_it_as_text(plan_2024):
    goal = Goal.objects.filter(plan=plan_2024).order_by("major", "minor").first()
    Goal.objects.filter(pk=goal.pk).update(owner=HYPERLINK)
    raw = plan_xlsx.build(plan_2024)
    assert "<f>" not in _sheet_xml(raw)
    sheet = load_workbook(io.BytesIO(raw))["Plan"]
    owner_column = plan_xlsx.HEADER.index("Ansvarlig") + 1
    [cell] = [
        sheet.cell(row=r, column=owner_column)
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, 1).value == goal.code
    ][:1]
    assert cell.data_type == "s" and cell.value == HYPERLINK

    plan = plan_xlsx.import_plan(raw, 2025, "Beskæftigelsesplan 2025")
    assert Goal.objects.get(plan=plan, major=goal.major, minor=goal.minor).owner == HYPERLINK


def test_local_template_writes_formula_like_indicator_names_as_strings(plan_2024):
    goal = Goal.objects.filter(plan=plan_2024, indicators__isnull=False).first()
    indicator = goal.indicators.first()
    indicator.name = "=1+1"
    indicator.save(update_fields=["name"])
    goal = Goal.objects.prefetch_related("indicators").get(pk=goal.pk)
    raw = template.build([goal], plan_2024.year, date(2025, 1, 1))
    assert "<f>" not in _sheet_xml(raw)
    workbook = load_workbook(io.BytesIO(raw))
    names = [c for row in workbook["Vejledning"].iter_rows() for c in row if c.value == "=1+1"]
    assert names and all(c.data_type == "s" for c in names)


def test_xlsx_export_stores_a_formula_as_neutralised_text():
    raw = xlsx_response("x", ["Navn"], [[HYPERLINK], ["@SUM(A1)"]]).content
    assert "<f>" not in _sheet_xml(raw)
    cells = [row[0] for row in load_workbook(io.BytesIO(raw)).active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [("'" + HYPERLINK, "s"), ("'@SUM(A1)", "s")]


@pytest.mark.parametrize("language,delimiter", [("da", ";"), ("en", ",")])
@pytest.mark.parametrize("field", ["x,=1+1", "x;=1+1", "x\t=1+1", 'x"=1+1', "x\n=1+1"])
def test_csv_field_holding_any_separator_is_one_quoted_cell(language, delimiter, field):
    with translation.override(language):
        body = csv_response("x", ["Tekst", "Tal"], [[field, 2.5]]).content.decode("utf-8-sig")
    line = body.split("\r\n", 1)[1]
    assert line.startswith('"')
    # Split on either separator, as a spreadsheet in either language would: no cell starts a formula.
    for separator in (";", ",", "\t"):
        cells = next(csv.reader(io.StringIO(line), delimiter=separator))
        assert cells[0].startswith(field)
        assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for cell in cells)
    assert next(csv.reader(io.StringIO(line), delimiter=delimiter)) == [field, "2,5" if language == "da" else "2.5"]


def test_csv_field_starting_with_a_formula_character_gets_an_apostrophe():
    with translation.override("da"):
        body = csv_response("x", ["Tekst"], [["=1+1"], ["+45 12"], ["-2"], ["@A1"], ["\tx"], ["almindelig"]]).content
    assert body.decode("utf-8-sig").split("\r\n")[1:-1] == ["'=1+1", "'+45 12", "'-2", "'@A1", '"\'\tx"', "almindelig"]
