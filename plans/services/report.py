"""The half-year follow-up report as an XLSX workbook (the same content as the printed page)."""

from plans.periods import Period
from plans.services.dashboard import Section
from portal.exports import xlsx_response

HEADERS = [
    "Område", "Kode", "Mål", "Indikator", "Status", "Seneste periode", "Værdi", "Sammenligning", "Målværdi",
    "Enhed", "Begrundelse", "Forvaltningens bemærkning",
]  # fmt: skip


def rows(sections: list[Section]):
    for section in sections:
        for view in section.goals:
            comment = view.comment.text if view.comment else ""
            for item in view.indicators:
                latest = item.latest
                yield [
                    section.title, view.goal.code, view.goal.title, item.indicator.name, item.status.label,
                    latest.period.label if latest else "", latest.value if latest else None,
                    latest.comparison if latest else None, item.target, item.indicator.get_unit_display(),
                    item.reason, comment,
                ]  # fmt: skip


def xlsx(half: Period, sections: list[Section]):
    return xlsx_response(f"maalopfoelgning-{half.code}", HEADERS, rows(sections), title=f"Målopfølgning {half.label}")
