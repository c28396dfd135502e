"""The fairs' pages; included by events.urls, so the names stay in the "events" namespace."""

from django.urls import path

from events.fairs import views

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
]
