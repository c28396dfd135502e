from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.fair_list, name="fair_list"),
    path("messe/<int:pk>/", views.fair_detail, name="fair_detail"),
    path("50-plus/", views.project, name="project"),
]
