"""The budget follow-up as a PDF for the committee's agenda (A4, rendered by WeasyPrint, as the half-year
report: plans/services/report_pdf.py). The overview, then each group's months, estimate and budget.

Without WeasyPrint or its system libraries (Pango), `render` raises PdfUnavailable and the page says so.
"""

from datetime import date

from django.template.loader import render_to_string

from plans.budget.services import BudgetFollowUp
from portal import demo


class PdfUnavailable(Exception):
    """The server cannot make PDFs (WeasyPrint or its system libraries are missing)."""


def _weasyprint():
    try:
        import weasyprint  # imported here: it loads Pango when imported, and most requests need no PDF
    except (ImportError, OSError) as error:  # OSError: the package is there, Pango is not
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def html(data: BudgetFollowUp, today: date) -> str:
    return render_to_string(
        "plans/budget/budget_pdf.html",
        {"data": data, "today": today, "demo_data_loaded": demo.is_loaded()},
    )


def render(data: BudgetFollowUp, today: date) -> bytes:
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html(data, today), base_url=".").write_pdf()


def filename(data: BudgetFollowUp) -> str:
    return f"{data.export_name()}.pdf"
