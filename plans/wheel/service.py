"""The annual wheel (årshjul) of one year: the fixed events administrators keep, and those that follow
from the portal's data.

Plans adds its own through portal.registry.calendar_source (calendar_entries, registered in
PlansConfig.ready): the fixed events, plan adoptions and the half-year follow-ups (linking to the report).
The import adds the Jobindsats tables' next release dates (plans.imports.calendar). Other apps add theirs
(events: the fairs' association deadlines, fair days and the 50+ group's meetings); the page shows
portal.registry.calendar(year), so plans imports no other domain app.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plans.models import Plan
from plans.wheel.models import WheelEvent
from portal.periods import parse_period
from portal.registry import CalendarEntry
from portal.registry import calendar as portal_calendar

Kind = WheelEvent.Kind


@dataclass(frozen=True)
class FixedEntry(CalendarEntry):
    """An administrator's fixed event: the page links to its edit form."""

    fixed: WheelEvent | None = None


@dataclass
class Month:
    number: int
    name: str
    entries: list[CalendarEntry]


def _fixed(year: int) -> list[CalendarEntry]:
    entries = []
    for event in WheelEvent.objects.all():
        day = None
        if event.day:
            day = date(year, event.month, min(event.day, calendar.monthrange(year, event.month)[1]))
        entries.append(
            FixedEntry(
                f"aarshjul-{event.pk}-{year}",
                event.title,
                year,
                event.month,
                event.kind,
                str(Kind(event.kind).label),
                day,
                description=event.description,
                fixed=event,
            )
        )
    return entries


def _derived(year: int) -> list[CalendarEntry]:
    entries = []
    for plan in Plan.objects.filter(is_adopted=True, adopted_on__year=year):
        entries.append(
            CalendarEntry(
                f"plan-{plan.pk}",
                _("%(plan)s vedtaget") % {"plan": plan.title},
                year,
                plan.adopted_on.month,
                Kind.PLAN_ADOPTION,
                str(Kind.PLAN_ADOPTION.label),
                plan.adopted_on,
                f"{reverse('plans:goal_list')}?plan={plan.year}",
                plan.decision_reference,
            )
        )
    for code in (f"{year}H1", f"{year}H2"):
        half = parse_period(code)
        entries.append(
            CalendarEntry(
                f"opfoelgning-{half.code}",
                _("Halvårlig målopfølgning: %(half)s") % {"half": half.label},
                year,
                half.end.month,
                Kind.FOLLOW_UP,
                str(Kind.FOLLOW_UP.label),
                half.end,
                f"{reverse('plans:report')}?halvaar={half.code}",
                _("Målene vurderet på tallene til og med %(date)s.") % {"date": date_format(half.end)},
            )
        )
    return entries


def calendar_entries(year: int) -> list[CalendarEntry]:
    """Plans' events of the year, for portal.registry.calendar (the wheel page and the iCalendar feed)."""
    return _fixed(year) + _derived(year)


def months(year: int) -> list[Month]:
    """The year's wheel by month: every app's events (portal.registry.calendar), in date order."""
    found = portal_calendar(year)
    return [
        Month(number, date_format(date(year, number, 1), "F").capitalize(), [e for e in found if e.month == number])
        for number in range(1, 13)
    ]
