from django.urls import path

from investments.pool.public import views

# Open without a login (the views are login_not_required): only the form and the sender's own receipt.
app_name = "pool_public"
urlpatterns = [
    path("ansoeg/", views.apply, name="apply"),
    path("ansoeg/kvittering/<str:token>/", views.receipt, name="receipt"),
]
