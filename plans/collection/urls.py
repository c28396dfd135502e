from django.urls import path

from plans.collection import views

app_name = "collection"
urlpatterns = [
    path("", views.board, name="board"),
    path("ny/", views.round_start, name="round_start"),
    path("dataansvarlige/", views.owners, name="owners"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.figures_page, name="figures"),
    path("<int:pk>/skabelon/", views.owner_template, name="template"),
    path("<int:pk>/upload/", views.template_upload, name="upload"),
]
