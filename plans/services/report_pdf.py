"""The half-year follow-up report as a PDF for the committee's agenda (A4, rendered by WeasyPrint).

A cover with the status summary per minister goal, then each goal with its indicators' value,
target, status and trend, and the administration's remark for the half-year.

WeasyPrint needs Pango and HarfBuzz from the operating system (Debian: libpango-1.0-0,
libpangoft2-1.0-0, libharfbuzz-subset0; see the README). Without them, or without the package,
`render` raises PdfUnavailable and the report page says so in Danish instead of failing.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from plans.evaluation import Status
from plans.models import Plan
from plans.services.dashboard import SUMMARY_STATUSES, Section, summary_totals
from portal import demo, pdf
from portal.periods import Period


def html(plan: Plan, half: Period, sections: list[Section], today: date) -> str:
    statuses = [Status(s) for s in SUMMARY_STATUSES]
    return render_to_string(
        "plans/report_pdf.html",
        {
            "plan": plan,
            "half": half,
            "sections": sections,
            "today": today,
            "statuses": statuses,
            "totals": summary_totals(sections),
            # A printed report travels without the page's banner: each of its pages says it, too.
            "demo_data_loaded": demo.is_loaded(),
        },
    )


def render(plan: Plan, half: Period, sections: list[Section], today: date) -> bytes:
    return pdf.render(html(plan, half, sections, today))


def filename(half: Period) -> str:
    return _("maalopfoelgning-%(half)s.pdf") % {"half": half.code}
