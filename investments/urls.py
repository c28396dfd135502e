from django.urls import include, path

from investments import views
from portal.cache import cached_page

app_name = "investments"
urlpatterns = [
    path("", cached_page(views.overview), name="overview"),  # until a figure changes (portal.cache)
    path("forsigtig-budgettering/", views.budget, name="budget"),
    path("forslag/<int:number>/", views.proposal_detail, name="proposal_detail"),
    path("forslag/<int:number>/tal/", views.figure_save, name="figure_save"),
    path("forslag/<int:number>/realisering/", views.realisation_save, name="realisation_save"),
    path("pulje/", include("investments.pool.urls")),
]
