"""The iCalendar feed of fairs and follow-up group meetings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from events.models import Fair, Meeting


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
    return calendar.to_ical()
