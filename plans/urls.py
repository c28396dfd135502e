from django.urls import path

from plans import benchmark_views, plan_views, views
from plans.wheel import views as wheel_views
from portal.cache import cached_page

app_name = "plans"
# The dashboards members read are served from the cache until the data changes (portal.cache).
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
    # Plans over time (issue 15): the administrators' plan pages and the annual wheel.
    path("planer/", plan_views.plan_list, name="plan_list"),
    path("planer/ny/", plan_views.plan_new, name="plan_new"),
    path("planer/import/", plan_views.plan_import, name="plan_import"),
    path("planer/<int:year>/", plan_views.plan_detail, name="plan_detail"),
    path("planer/<int:year>/vedtag/", plan_views.plan_adopt, name="plan_adopt"),
    path("planer/<int:year>/skabelon/", plan_views.plan_template, name="plan_template"),
    path("planer/<int:year>/maal/ny/", plan_views.goal_edit, name="plan_goal_new"),
    path("planer/<int:year>/maal/<int:pk>/", plan_views.goal_edit, name="plan_goal_edit"),
    path("planer/<int:year>/maal/<int:pk>/slet/", plan_views.goal_delete, name="plan_goal_delete"),
    path("aarshjul/", wheel_views.wheel, name="wheel"),
    path("aarshjul/ny/", wheel_views.event_edit, name="wheel_event_new"),
    path("aarshjul/<int:pk>/", wheel_views.event_edit, name="wheel_event_edit"),
    path("aarshjul/<int:pk>/slet/", wheel_views.event_delete, name="wheel_event_delete"),
]
