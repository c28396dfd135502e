"""The half-year follow-up report as an XLSX workbook (the same content as the printed page)."""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from plans.models import Observation, Plan
from plans.services.dashboard import Section
from plans.templatetags.plans_tags import section_title
from portal.exports import xlsx_response
from portal.periods import Period, half_year_of, parse_period

HEADERS = [
    gettext_lazy("Område"),
    gettext_lazy("Kode"),
    pgettext_lazy("målets titel", "Mål"),
    gettext_lazy("Indikator"),
    gettext_lazy("Status"),
    gettext_lazy("Seneste periode"),
    gettext_lazy("Værdi"),
    gettext_lazy("Sammenligning"),
    gettext_lazy("Målværdi"),
    gettext_lazy("Enhed"),
    gettext_lazy("Begrundelse"),
    gettext_lazy("Forvaltningens bemærkning"),
]


def rows(sections: list[Section]):
    for section in sections:
        for summary in section.goals:
            comment = summary.comment.text if summary.comment else ""
            for item in summary.indicators:
                latest = item.latest
                yield [
                    section_title(section),
                    summary.goal.code,
                    summary.goal.title,
                    item.indicator.name,
                    item.status.label,
                    latest.period.label if latest else "",
                    latest.value if latest else None,
                    latest.comparison if latest else None,
                    item.target,
                    item.indicator.get_unit_display(),
                    item.reason,
                    comment,
                ]


def xlsx(half: Period, sections: list[Section]):
    return xlsx_response(
        f"maalopfoelgning-{half.code}",
        [str(h) for h in HEADERS],
        rows(sections),
        title=_("Målopfølgning %(half)s") % {"half": half.label},
    )


def half_years(plan: Plan) -> list[Period]:
    """Every half-year in which a period of the plan's figures for the portal's area ends, newest first (one query).

    It reads the distinct period codes, which the unique key (indicator, area, period_code) holds: no
    observation's row is read, and a long history costs a code per period, not a date per figure.
    """
    codes = (
        Observation.objects.filter(indicator__goal__plan=plan, area=settings.PORTAL_AREA)
        .order_by()  # the default ordering would add its columns to the DISTINCT
        .values_list("period_code", flat=True)
        .distinct()
    )
    return sorted({half_year_of(parse_period(code).end) for code in codes}, reverse=True)


def default_half_year(halves: list[Period], today: date) -> Period | None:
    """The newest half-year that has ended (its figures are complete), else the newest one."""
    return next((h for h in halves if h.end < today), halves[0] if halves else None)
