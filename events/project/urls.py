"""The 50+ project's pages; included by events.urls, so the names stay in the "events" namespace."""

from django.urls import path

from events.project import views

urlpatterns = [
    path("50-plus/", views.project_page, name="project"),
    path("50-plus/fremdrift/", views.progress_save, name="progress_save"),
    path("50-plus/moede/<int:pk>/dokument/", views.document_upload, name="document_upload"),
    path("50-plus/dokument/<int:pk>/", views.document_download, name="document_download"),
    path("50-plus/plads/<int:pk>/", views.seat_edit, name="seat_edit"),
]
