"""The budget follow-up as a PDF for the committee's agenda (A4, rendered by WeasyPrint, as the half-year
report: plans/services/report_pdf.py). The overview, then each group's months, estimate and budget.

Without WeasyPrint or its system libraries (Pango), `render` raises PdfUnavailable and the page says so.
"""

from datetime import date

from django.template.loader import render_to_string

from plans.budget.services import BudgetFollowUp
from portal import demo, pdf


def html(data: BudgetFollowUp, today: date) -> str:
    return render_to_string(
        "plans/budget/budget_pdf.html",
        {"data": data, "today": today, "demo_data_loaded": demo.is_loaded()},
    )


def render(data: BudgetFollowUp, today: date) -> bytes:
    return pdf.render(html(data, today))


def filename(data: BudgetFollowUp) -> str:
    return f"{data.export_name()}.pdf"
