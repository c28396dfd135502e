"""The events app's shared pages: the personal calendar feed of fairs and meetings.

The fairs' pages are in events.fairs.views, the 50+ project's in events.project.views.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import CalendarFeed
from events.services import calendar
from portal.roles import Role, has_role, role_required

# --- calendar -------------------------------------------------------------------------------------------


@role_required(Role.MEMBER)
def calendar_page(request):
    feed = CalendarFeed.objects.get_or_create(user=request.user)[0]
    if request.method == "POST":
        feed.renew()
        messages.success(request, _("Du har fået en ny kalenderadresse. Den gamle virker ikke længere."))
        return redirect("events:calendar")
    url = request.build_absolute_uri(reverse("events:calendar_feed", args=[feed.token]))
    return render(request, "events/calendar.html", {"url": url})


def calendar_feed(request, token):
    """The .ics feed: calendar apps cannot log in, so the personal token is the key (login_not_required in urls)."""
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()
    if feed is None or not has_role(feed.user, Role.MEMBER):
        raise Http404
    response = HttpResponse(calendar.ics(request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="udvalgsportalen.ics"'
    return response
