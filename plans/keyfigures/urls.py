from django.urls import path

from plans.keyfigures import views
from portal.cache import cached_page

app_name = "keyfigures"
# The page members read is served from the cache until the data changes (portal.cache).
urlpatterns = [
    path("", cached_page(views.overview), name="overview"),
    path("lokale/", views.local_edit, name="local_edit"),
]
