"""The data catalogue (Datakatalog): every Jobindsats table the portal reads, who reads it, and when it was and will be published."""

from django.urls import path

from plans.catalogue import views
from portal.cache import cached_page

app_name = "catalogue"
# Members read it from the cache until the data changes (portal.cache), as the dashboards.
urlpatterns = [
    path("", cached_page(views.catalogue), name="list"),
]
