from django.urls import path

from plans import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.import_list, name="list"),
    path("<int:pk>/", import_views.import_detail, name="detail"),
    path("<int:pk>/status/", import_views.import_status, name="status"),
    path("koblinger/", import_views.mapping_list, name="mappings"),
    path("koblinger/ny/", import_views.mapping_edit, name="mapping_new"),
    path("koblinger/<int:pk>/", import_views.mapping_edit, name="mapping_edit"),
]
