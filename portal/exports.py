"""The one export writer for CSV and XLSX downloads.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) get a leading apostrophe; numbers stay numbers. CSV is written the way a spreadsheet in the
page's language opens it: UTF-8 with BOM (so æ, ø, å survive), and in Danish semicolons and a decimal
comma, in English commas and a decimal point (a Danish "26,500" would read as 26 thousand).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _csv_cell(cell, decimal_mark: str = ",") -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return _("ja") if cell else _("nej")
    if isinstance(cell, (int, float, Decimal)):
        return str(cell).replace(".", decimal_mark)
    if isinstance(cell, (date, datetime)):
        return cell.isoformat()
    return neutralise(str(cell))


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    delimiter, mark = (",", ".") if (get_language() or "da").startswith("en") else (";", ",")
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    writer.writerows([_csv_cell(c, mark) for c in row] for row in rows)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(cell):
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        return cell.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(cell, (int, float, Decimal, date, bool)) or cell is None:
        return cell
    return neutralise(str(cell))


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "Data") -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_xlsx_cell(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "Data"):
    if fmt == "xlsx":
        return xlsx_response(filename, headers, rows, title)
    return csv_response(filename, headers, rows)
