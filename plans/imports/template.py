"""The local template: an XLSX the administration fills in for goals with local figures.

One row per indicator and period, with the key ("6.10-1") the import reads; a second sheet says
each indicator's unit, allowed range and who delivers the figures. The filled-in file goes
through the same import as a jobindsats.dk extract (plans.imports.validation reads "Nøgle").
"""

import io
from datetime import date

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from plans.core.models import Goal, Indicator
from plans.imports.validation import TEMPLATE_KEY
from portal.exports import xlsx_row
from portal.periods import Period, parse_period

HEADER = [TEMPLATE_KEY, "Mål", "Indikator", "Enhed", "Område", "Periode", "Værdi", "Sammenligning"]
YEARLY_LABELS = {"Samme periode året før"}  # the rule finds the comparison itself
INSTRUCTIONS = [
    "Sådan udfyldes skabelonen",
    "1. Skriv tallene i kolonnen Værdi på arket Tal: ét tal pr. række, med decimalkomma (fx 36,5). Andele skrives i procent (0-100).",
    "2. Kolonnen Sammenligning udfyldes kun, hvor tabellen nedenfor nævner et sammenligningstal (fx Hele landet).",
    "3. Lad Værdi stå tom, hvor der ikke er et tal; tomme rækker springes over. Ret ikke Nøgle, Område eller Periode.",
    "4. Upload filen under Dataimport. Den kontrolleres række for række og indlæses kun, hvis alt er i orden.",
]


def key(indicator: Indicator) -> str:
    return f"{indicator.goal.code}-{indicator.position}"


def _periods(goal: Goal, first_year: int, today: date) -> list[Period]:
    """The goal's follow-up periods from the plan's first year up to the last one ended."""
    step = {"kvartalsvis": "Q", "halvaarlig": "H", "aarlig": ""}[goal.frequency]
    codes = []
    for year in range(first_year, today.year + 1):
        if step == "Q":
            codes += [f"{year}Q{q}" for q in range(1, 5)]
        elif step == "H":
            codes += [f"{year}H1", f"{year}H2"]
        else:
            codes.append(str(year))
    return [p for p in map(parse_period, codes) if p.end < today]


def build(goals: list[Goal], first_year: int, today: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tal"
    sheet.append(xlsx_row(sheet, HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("Vejledning")
    for line in INSTRUCTIONS:
        guide.append(xlsx_row(guide, [line]))
    guide.append([])
    guide.append(
        xlsx_row(
            guide,
            ["Nøgle", "Mål", "Indikator", "Enhed", "Tilladte værdier", "Sammenligning", "Leveres af", "Opfølgning"],
        )
    )
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    guide["A1"].font = Font(bold=True, size=13)
    for goal in goals:
        for indicator in goal.indicators.all():
            percent = indicator.unit == Indicator.Unit.PERCENT
            comparison = indicator.comparison_label if indicator.comparison_label not in YEARLY_LABELS else ""
            guide.append(
                xlsx_row(
                    guide,
                    [
                        key(indicator),
                        goal.code,
                        indicator.name,
                        indicator.get_unit_display(),
                        "0 til 100 (procent)" if percent else "0 eller derover (antal)",
                        comparison or "-",
                        goal.get_source_display(),
                        goal.get_frequency_display(),
                    ],
                )
            )
            for period in _periods(goal, first_year, today):
                sheet.append(
                    xlsx_row(
                        sheet,
                        [
                            key(indicator),
                            goal.code,
                            indicator.name,
                            indicator.get_unit_display(),
                            settings.PORTAL_AREA,
                            period.code,
                            None,
                            None,
                        ],
                    )
                )
    numbers = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    numbers.error = "Skriv et tal (0 eller derover)."
    sheet.add_data_validation(numbers)
    numbers.add(f"G2:H{max(sheet.max_row, 2)}")
    for column, width in zip("ABCDEFGH", (9, 6, 60, 8, 12, 10, 10, 14)):
        sheet.column_dimensions[column].width = width
    for column, width in zip("ABCDEFGH", (9, 6, 60, 8, 22, 22, 22, 14)):
        guide.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
