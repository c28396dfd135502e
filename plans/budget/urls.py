from django.urls import path

from plans.budget import views
from portal.cache import cached_page

app_name = "budget"
# The follow-up members read is served from the cache until the data changes (portal.cache).
urlpatterns = [
    path("", cached_page(views.overview), name="overview"),
    path("<int:year>/rediger/", views.edit, name="edit"),
]
