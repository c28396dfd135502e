from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.goal_list, name="goal_list"),
    path("<int:year>/<int:major>.<int:minor>/", views.goal_detail, name="goal_detail"),
]
