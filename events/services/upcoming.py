"""The fairs' and the 50+ group's coming and past dates: the start page's panel and the committee's calendar.

Registered in EventsConfig.ready with portal.registry (start_panel, calendar_source): the portal and
the årshjul (plans.wheel) read them from there and import nothing from events.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events.models import Fair, FairSeries, Meeting
from portal.registry import CalendarEntry


def next_fair(today: date) -> Fair | None:
    return Fair.objects.select_related("series").filter(date__gte=today).order_by("date").first()


def next_meeting(today: date) -> Meeting | None:
    return Meeting.objects.select_related("project").filter(date__gte=today).order_by("date").first()


def latest_fair(today: date) -> Fair | None:
    return Fair.objects.select_related("series").filter(date__lt=today).order_by("-date").first()


def latest_meeting(today: date) -> Meeting | None:
    return Meeting.objects.select_related("project").filter(date__lt=today).order_by("-date").first()


def in_year(year: int) -> dict:
    """The year's fairs, the fair series' association deadlines and the follow-up group's meetings (three queries).

    Read by calendar_entries (the årshjul and the iCalendar feed through portal.registry.calendar).
    """
    return {
        "fairs": list(Fair.objects.select_related("series").filter(date__year=year).order_by("date")),
        "deadlines": list(
            FairSeries.objects.filter(registration_deadline__year=year).order_by("registration_deadline")
        ),
        "meetings": list(Meeting.objects.select_related("project").filter(date__year=year).order_by("date")),
    }


def start_panel(request, today: date) -> dict:
    """The start page's cards: the next fair and meeting, or the latest when none is coming."""
    return {
        "next_fair": next_fair(today),
        "latest_fair": latest_fair(today),
        "next_meeting": next_meeting(today),
        "latest_meeting": latest_meeting(today),
    }


# The årshjul's kinds of events' entries; the same keys and labels as plans' WheelEvent.Kind, which an
# administrator's fixed event may also use.
FAIR_DEADLINE, FAIR, MEETING_50PLUS = "messefrist", "messe", "moede50"
KIND_LABELS = {
    FAIR_DEADLINE: gettext_noop("Messe-frist"),
    FAIR: gettext_noop("Messe"),
    MEETING_50PLUS: gettext_noop("50+-møde"),
}


def calendar_entries(year: int) -> list[CalendarEntry]:
    """The year's association deadlines, fairs and follow-up group meetings for portal.registry.calendar."""
    found = in_year(year)
    entries = []
    for series in found["deadlines"]:
        deadline = series.registration_deadline
        entries.append(
            CalendarEntry(
                f"messefrist-{series.pk}",
                _("Tilmeldingsfrist for foreninger: %(title)s") % {"title": series.title},
                year,
                deadline.month,
                FAIR_DEADLINE,
                _(KIND_LABELS[FAIR_DEADLINE]),
                deadline,
                reverse("events:fair_list"),
            )
        )
    for fair in found["fairs"]:
        entries.append(
            CalendarEntry(
                f"messe-{fair.pk}",
                f"{fair.series.title}, {fair.venue}",
                year,
                fair.date.month,
                FAIR,
                _(KIND_LABELS[FAIR]),
                fair.date,
                reverse("events:fair_detail", args=[fair.pk]),
            )
        )
    for meeting in found["meetings"]:
        entries.append(
            CalendarEntry(
                f"moede-{meeting.pk}",
                _("Politisk følgegruppe: %(title)s") % {"title": meeting.project.title},
                year,
                meeting.date.month,
                MEETING_50PLUS,
                _(KIND_LABELS[MEETING_50PLUS]),
                meeting.date,
                reverse("events:project"),
                meeting.description,
            )
        )
    return entries
