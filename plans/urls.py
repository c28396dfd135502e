from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.goal_list, name="goal_list"),
    path("rapport/", views.half_year_report, name="report"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("<int:year>/<int:major>.<int:minor>/", views.goal_detail, name="goal_detail"),
    path("<int:year>/<int:major>.<int:minor>/bemaerkning/", views.comment_add, name="comment_add"),
    path("indikator/<int:pk>/observation/", views.observation_add, name="observation_add"),
    path("indikator/<int:pk>/regel/", views.indicator_rule, name="indicator_rule"),
]
