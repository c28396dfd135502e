"""PDFs from HTML with WeasyPrint: the half-year report, the budget follow-up and the pool's agenda.

WeasyPrint needs Pango from the operating system (see the README); without it `render` raises
PdfUnavailable and the page that offers the PDF says so in Danish instead of failing.
"""


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


def render(html: str) -> bytes:
    return _weasyprint().HTML(string=html, base_url=".").write_pdf()
