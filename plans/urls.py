from django.urls import path

from plans import benchmark_views, views
from plans.services.cache import cached_page

app_name = "plans"
# The dashboards members read are served from the cache until the data changes (plans.services.cache).
urlpatterns = [
    path("", cached_page(views.goal_list), name="goal_list"),
    path("rapport/", cached_page(views.half_year_report), name="report"),
    path("benchmark/", cached_page(benchmark_views.benchmark), name="benchmark"),
    path("benchmark/grupper/", benchmark_views.comparison_groups, name="comparison_groups"),
    path("benchmark/grupper/ny/", benchmark_views.comparison_group_edit, name="comparison_group_new"),
    path("benchmark/grupper/<int:pk>/", benchmark_views.comparison_group_edit, name="comparison_group_edit"),
    path("benchmark/grupper/<int:pk>/slet/", benchmark_views.comparison_group_delete, name="comparison_group_delete"),
    path("<int:year>/<int:major>.<int:minor>/", cached_page(views.goal_detail), name="goal_detail"),
    path("<int:year>/<int:major>.<int:minor>/bemaerkning/", views.comment_add, name="comment_add"),
    path("<int:year>/<int:major>.<int:minor>/ansvarlig/", views.goal_owner, name="goal_owner"),
    path("indikator/<int:pk>/observation/", views.observation_add, name="observation_add"),
    path("indikator/<int:pk>/regel/", views.indicator_rule, name="indicator_rule"),
]
