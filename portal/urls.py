from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from portal import views

urlpatterns = [
    path("", views.start, name="start"),
    path("log-ind/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    # The language can be chosen on the login page too.
    path("sprog/", login_not_required(set_language), name="set_language"),
    path("brugere/", views.user_list, name="user_list"),
    path("aendringslog/", views.audit_list, name="audit_list"),
    path("aendringslog/<str:label>/<int:history_id>/", views.audit_detail, name="audit_detail"),
    path("maal/", include("plans.urls")),
    path("dataimport/", include("plans.imports.urls")),
    path("investeringer/", include("investments.urls")),
    path("arrangementer/", include("events.urls")),
    path("django-admin/", admin.site.urls),
]


handler400 = views.bad_request
