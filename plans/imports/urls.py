from django.urls import path

from plans.imports import api_views, views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/status/", views.import_status, name="status"),
    path("skabelon/", views.local_template, name="template"),
    path("koblinger/", views.mapping_list, name="mappings"),
    path("koblinger/ny/", views.mapping_edit, name="mapping_new"),
    path("koblinger/<int:pk>/", views.mapping_edit, name="mapping_edit"),
    path("api/", api_views.api_status, name="api"),
]
