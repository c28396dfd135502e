"""The annual wheel (årshjul) of one year: the fixed events administrators keep, and those that follow
from the portal's data: plan adoptions, the half-year follow-ups (linking to the report), the
Jobindsats tables' next release dates (TableMetadata, from the API), the fairs' association
deadlines and fair days, and the 50+ follow-up group's meetings.

The events are read through events.services.upcoming (plans does not query events' models), but
plans still imports that function: issue 17, which keeps the domain apps apart, should move the
wheel's assembly to the portal.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plans.imports.models import TableMetadata
from plans.models import Plan
from portal.periods import parse_period
from plans.wheel.models import WheelEvent

Kind = WheelEvent.Kind


@dataclass
class Entry:
    month: int
    day: date | None  # None: some time in the month
    title: str
    kind: str
    url: str = ""
    description: str = ""
    uid: str = ""
    fixed: WheelEvent | None = None  # an administrator's fixed event (editable)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def sort_key(self):
        return (self.month, self.day or date.max, self.title)


@dataclass
class Month:
    number: int
    name: str
    entries: list[Entry]


def _fixed(year: int) -> list[Entry]:
    entries = []
    for event in WheelEvent.objects.all():
        day = None
        if event.day:
            day = date(year, event.month, min(event.day, calendar.monthrange(year, event.month)[1]))
        entries.append(Entry(event.month, day, event.title, event.kind, description=event.description,
                             uid=f"aarshjul-{event.pk}-{year}", fixed=event))  # fmt: skip
    return entries


def _derived(year: int, with_events: bool) -> list[Entry]:
    entries = []
    for plan in Plan.objects.filter(is_adopted=True, adopted_on__year=year):
        entries.append(Entry(
            plan.adopted_on.month, plan.adopted_on, _("%(plan)s vedtaget") % {"plan": plan.title}, Kind.PLAN_ADOPTION,
            url=f"{reverse('plans:goal_list')}?plan={plan.year}", description=plan.decision_reference, uid=f"plan-{plan.pk}",
        ))  # fmt: skip
    for code in (f"{year}H1", f"{year}H2"):
        half = parse_period(code)
        entries.append(Entry(
            half.end.month, half.end, _("Halvårlig målopfølgning: %(half)s") % {"half": half.label}, Kind.FOLLOW_UP,
            url=f"{reverse('plans:report')}?halvaar={half.code}", uid=f"opfoelgning-{half.code}",
            description=_("Målene vurderet på tallene til og med %(date)s.") % {"date": date_format(half.end, "j. F Y")},
        ))  # fmt: skip
    for table in TableMetadata.objects.filter(next_update__year=year):
        entries.append(Entry(
            table.next_update.month, table.next_update,
            _("Jobindsats opdaterer tabel %(table)s") % {"table": table.table}, Kind.JOBINDSATS,
            description=table.title, uid=f"jobindsats-{table.table}-{table.next_update:%Y%m%d}",
        ))  # fmt: skip
    if with_events:
        from events.services import upcoming  # the events app's own reader (see the module's docstring)

        found = upcoming.in_year(year)
        for series in found["deadlines"]:
            deadline = series.registration_deadline
            entries.append(Entry(
                deadline.month, deadline, _("Tilmeldingsfrist for foreninger: %(title)s") % {"title": series.title},
                Kind.FAIR_DEADLINE, url=reverse("events:fair_list"), uid=f"messefrist-{series.pk}",
            ))  # fmt: skip
        for fair in found["fairs"]:
            entries.append(Entry(
                fair.date.month, fair.date, f"{fair.series.title}, {fair.venue}", Kind.FAIR,
                url=reverse("events:fair_detail", args=[fair.pk]), uid=f"messe-{fair.pk}",
            ))  # fmt: skip
        for meeting in found["meetings"]:
            entries.append(Entry(
                meeting.date.month, meeting.date, _("Politisk følgegruppe: %(title)s") % {"title": meeting.project.title},
                Kind.MEETING_50PLUS, url=reverse("events:project"), description=meeting.description, uid=f"moede-{meeting.pk}",
            ))  # fmt: skip
    return entries


def entries(year: int, *, with_events: bool = True) -> list[Entry]:
    """All the year's events in date order; a month's events without a day come after its dated ones."""
    return sorted(_fixed(year) + _derived(year, with_events), key=lambda e: e.sort_key)


def months(year: int) -> list[Month]:
    found = entries(year)
    return [
        Month(number, date_format(date(year, number, 1), "F").capitalize(), [e for e in found if e.month == number])
        for number in range(1, 13)
    ]
