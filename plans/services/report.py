"""The half-year follow-up report as an XLSX workbook (the same content as the printed page)."""

from datetime import date

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from plans.models import Goal, Indicator, Observation, Plan
from plans.services.dashboard import Section
from plans.templatetags.plans_tags import section_title
from portal.exports import xlsx_response
from portal.periods import Period, parse_period

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


# The half-years from the plan's first figure to its last, each kept if a figure's period ends in it. The first
# and last codes are the ends of each series in the unique key (indicator, area, period_code), and a half-year is
# one probe of its year's codes (a code starts with the year its period ends in): a long history costs a probe
# per half-year, not a read of every figure. The probe is a subquery in the select list, which PostgreSQL runs
# as written; as an EXISTS in the WHERE clause it became a hash join over every figure.
_HALF_YEARS = """
WITH RECURSIVE
    series(id) AS (
        SELECT indicator.id FROM {indicator} indicator JOIN {goal} goal ON goal.id = indicator.goal_id
        WHERE goal.plan_id = %(plan)s),
    ends(first_code, last_code) AS (
        SELECT
            MIN((SELECT MIN(o.period_code) FROM {observation} o
                 WHERE o.indicator_id = series.id AND o.area = %(area)s)),
            MAX((SELECT MAX(o.period_code) FROM {observation} o
                 WHERE o.indicator_id = series.id AND o.area = %(area)s))
        FROM series),
    years(year) AS (
        SELECT CAST(SUBSTR(first_code, 1, 4) AS INTEGER) FROM ends WHERE first_code IS NOT NULL
        UNION ALL
        SELECT year + 1 FROM years, ends WHERE year < CAST(SUBSTR(last_code, 1, 4) AS INTEGER)),
    halves(half, first_month, last_month) AS (VALUES (1, 1, 6), (2, 7, 12)),
    found(year, half, indicator) AS (
        SELECT year, half, (
            SELECT series.id FROM series WHERE EXISTS (
                SELECT 1 FROM {observation} o
                WHERE o.indicator_id = series.id AND o.area = %(area)s
                    AND o.period_code >= CAST(year AS TEXT) AND o.period_code < CAST(year + 1 AS TEXT)
                    AND {end_month} BETWEEN first_month AND last_month)
            LIMIT 1)
        FROM years, halves)
SELECT year, half FROM found WHERE indicator IS NOT NULL
"""


def half_years(plan: Plan) -> list[Period]:
    """Every half-year in which a period of the plan's figures for the portal's area ends, newest first (one query)."""
    # The month of a period's end in the database's own SQL: EXTRACT on PostgreSQL, Django's function on SQLite.
    end_month, month_params = connection.ops.date_extract_sql("month", "o.period_end", ())
    sql = _HALF_YEARS.format(
        indicator=Indicator._meta.db_table,
        goal=Goal._meta.db_table,
        observation=Observation._meta.db_table,
        end_month=end_month.replace("%s", "%(month)s"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"plan": plan.id, "area": settings.PORTAL_AREA, "month": next(iter(month_params), None)})
        found = cursor.fetchall()
    return sorted((parse_period(f"{year}H{half}") for year, half in found), reverse=True)


def default_half_year(halves: list[Period], today: date) -> Period | None:
    """The newest half-year that has ended (its figures are complete), else the newest one."""
    return next((h for h in halves if h.end < today), halves[0] if halves else None)
