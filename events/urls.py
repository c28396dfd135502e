from django.contrib.auth.decorators import login_not_required
from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.fair_list, name="fair_list"),
    path("messe/ny/", views.fair_add, name="fair_add"),
    path("messe/<int:pk>/", views.fair_detail, name="fair_detail"),
    path("messe/<int:pk>/pladser/", views.fair_capacity, name="fair_capacity"),
    path("messe/<int:pk>/tilmeldinger/", views.signup_list, name="signups"),
    path("tilmelding/<int:pk>/afmeld/", views.signup_cancel, name="signup_cancel"),
    path("messe/<int:pk>/indtjekning/", views.checkin, name="checkin"),
    path("messe/<int:pk>/deltagere/", views.participants, name="participants"),
    path("messe/<int:pk>/udstillere/", views.exhibitors, name="exhibitors"),
    path("kulturaktoerer/", views.association_list, name="associations"),
    path("kulturaktoerer/ny/", views.association_edit, name="association_new"),
    path("kulturaktoerer/<int:pk>/", views.association_edit, name="association_edit"),
    path("50-plus/", views.project_page, name="project"),
    path("50-plus/fremdrift/", views.progress_save, name="progress_save"),
    path("50-plus/moede/<int:pk>/dokument/", views.document_upload, name="document_upload"),
    path("50-plus/dokument/<int:pk>/", views.document_download, name="document_download"),
    path("50-plus/plads/<int:pk>/", views.seat_edit, name="seat_edit"),
    path("kalender/", views.calendar_page, name="calendar"),
    # Tokens are URL-safe base64 (the slug alphabet); anything else, e.g. a NUL that PostgreSQL
    # would refuse in the lookup, is a 404 before the database is asked.
    path("kalender/<slug:token>.ics", login_not_required(views.calendar_feed), name="calendar_feed"),
]
