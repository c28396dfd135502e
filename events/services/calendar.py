"""The iCalendar feed of fairs and follow-up group meetings."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from events.models import Fair, Meeting
from events.services import upcoming
from portal import registry
from portal.periods import add_months


def ics(request) -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Norddjurs Kommune//Udvalgsportalen//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Udvalgsportalen: arrangementer og møder"))
    host = request.get_host()
    for fair in Fair.objects.select_related("series").prefetch_related("series__programme"):
        programme = list(fair.series.programme.all())
        event = Event()
        event.add("uid", f"messe-{fair.pk}@{host}")
        event.add("summary", f"{fair.series.title}, {fair.venue}")
        event.add("location", fair.venue)
        if programme:
            event.add("dtstart", datetime.combine(fair.date, programme[0].starts_at, zone))
            event.add("dtend", datetime.combine(fair.date, programme[-1].ends_at, zone))
        else:
            event.add("dtstart", fair.date)
        event.add("url", request.build_absolute_uri(reverse("events:fair_detail", args=[fair.pk])))
        event.add("dtstamp", datetime.now(zone))
        calendar.add_component(event)
    for meeting in Meeting.objects.select_related("project"):
        event = Event()
        event.add("uid", f"moede-{meeting.pk}@{host}")
        event.add("summary", _("Politisk følgegruppe: %(title)s") % {"title": meeting.project.title})
        event.add("description", meeting.description)
        event.add("dtstart", meeting.date)  # the time is not known: an all-day event
        event.add("dtend", meeting.date + timedelta(days=1))
        event.add("url", request.build_absolute_uri(reverse("events:project")))
        event.add("dtstamp", datetime.now(zone))
        calendar.add_component(event)
    _add_annual_wheel(calendar, request, zone)
    return calendar.to_ical()


def _add_annual_wheel(calendar: Calendar, request, zone) -> None:
    """The committee's annual wheel, this year and next, as all-day events (the fairs and meetings are above).

    An event without a day spans its month. Every app's entries come from portal.registry.calendar
    (plans' fixed events, adoptions, follow-ups and Jobindsats releases; the fairs' deadlines).
    """
    host, today = request.get_host(), datetime.now(zone).date()
    for year in (today.year, today.year + 1):
        for entry in registry.calendar(year):
            if entry.kind in (upcoming.FAIR, upcoming.MEETING_50PLUS):
                continue
            event = Event()
            event.add("uid", f"{entry.uid}@{host}")
            event.add("summary", entry.title)
            if entry.description:
                event.add("description", entry.description)
            start = entry.day or date(year, entry.month, 1)
            end = start + timedelta(days=1) if entry.day else add_months(start, 1)
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("categories", [entry.kind_label])
            if entry.url:
                event.add("url", request.build_absolute_uri(entry.url))
            event.add("dtstamp", datetime.now(zone))
            calendar.add_component(event)
