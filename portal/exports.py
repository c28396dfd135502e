"""The one writer for every CSV and XLSX the portal produces: exports, and (xlsx_row) the templates.

Text is stored as text: every XLSX text cell is a string cell, so "=HYPERLINK(...)" written by a
user is never a formula. Exported text that a spreadsheet would run as a formula (starting with
= + - @, tab or carriage return) also gets a leading apostrophe; numbers stay numbers. CSV is
written the way a spreadsheet in the page's language opens it: UTF-8 with BOM (so æ, ø, å
survive), and in Danish semicolons and a decimal comma, in English commas and a decimal point (a
Danish "26,500" would read as 26 thousand). A text field holding either separator (or a tab, a
quote, a line break) is quoted, so a spreadsheet that splits on the other separator still sees one
cell and never a cell starting with "=" in the middle of a field.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell inside a CSV field: either language's separator, a tab, a line.
CSV_QUOTE_TRIGGERS = (",", ";", "\t", '"', "\r", "\n")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _csv_cell(cell, delimiter: str = ";", decimal_mark: str = ",") -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return _("ja") if cell else _("nej")
    if isinstance(cell, (int, float, Decimal)):
        return str(cell).replace(".", decimal_mark)  # a number never holds the delimiter
    if isinstance(cell, (date, datetime)):
        return cell.isoformat()
    text = neutralise(str(cell))
    return _quoted(text) if any(mark in text for mark in CSV_QUOTE_TRIGGERS) else text


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    delimiter, mark = (",", ".") if (get_language() or "da").startswith("en") else (";", ",")
    buffer = io.StringIO()
    buffer.write("\ufeff")
    for row in [headers, *rows]:
        buffer.write(delimiter.join(_csv_cell(c, delimiter, mark) for c in row) + "\r\n")
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(cell):
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        return cell.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(cell, (int, float, Decimal, date, bool)) or cell is None:
        return cell
    return neutralise(str(cell))


def xlsx_row(sheet, values: Iterable) -> list:
    """A row for `sheet.append` in which every text is a string cell (openpyxl makes "=…" a formula).

    The templates (plans.services.plan_xlsx, plans.imports.template) write their texts through this
    unchanged, so that a text read back is the text written; exports add the apostrophe first.
    """
    row = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "Data") -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(xlsx_row(sheet, [_xlsx_cell(h) for h in headers]))
    for row in rows:
        sheet.append(xlsx_row(sheet, [_xlsx_cell(c) for c in row]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "Data"):
    if fmt == "xlsx":
        return xlsx_response(filename, headers, rows, title)
    return csv_response(filename, headers, rows)
