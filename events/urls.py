from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from events import views

app_name = "events"
urlpatterns = [
    path("", include("events.fairs.urls")),
    path("", include("events.project.urls")),
    path("kalender/", views.calendar_page, name="calendar"),
    # Tokens are URL-safe base64 (the slug alphabet); anything else, e.g. a NUL that PostgreSQL
    # would refuse in the lookup, is a 404 before the database is asked.
    path("kalender/<slug:token>.ics", login_not_required(views.calendar_feed), name="calendar_feed"),
]
