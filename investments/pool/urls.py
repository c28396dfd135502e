"""The pool's pages under /investeringer/pulje/; included by investments.urls, so the names stay in the
"investments" namespace. The public application form is investments.pool.public.urls (/pulje/)."""

from django.urls import path

from investments.pool import views

urlpatterns = [
    path("", views.pool_overview, name="pool"),
    path("aar/<int:year>/", views.pool_year_save, name="pool_year_save"),
    path("runde/<int:pk>/", views.pool_round, name="pool_round"),
    path("runde/<int:pk>/rediger/", views.pool_round_save, name="pool_round_save"),
    path("runde/<int:pk>/dagsorden.pdf", views.pool_round_agenda, name="pool_round_agenda"),
    path("ansoegning/ny/", views.pool_application_new, name="pool_application_new"),
    path("ansoegning/<int:pk>/", views.pool_application, name="pool_application"),
    path("ansoegning/<int:pk>/vurdering/", views.pool_assessment_save, name="pool_assessment_save"),
    path("ansoegning/<int:pk>/afgoerelse/", views.pool_decision_save, name="pool_decision_save"),
    path("ansoegning/<int:pk>/opfoelgning/", views.pool_follow_up_save, name="pool_follow_up_save"),
    path("bilag/<int:pk>/", views.pool_attachment, name="pool_attachment"),
]
