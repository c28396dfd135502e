from django.urls import path

from investments import views

app_name = "investments"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("forslag/<int:number>/", views.proposal_detail, name="proposal_detail"),
]
