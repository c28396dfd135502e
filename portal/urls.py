from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from portal import oidc, users, views
from portal.digest import views as digest_views

urlpatterns = [
    path("", views.start, name="start"),
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ind/ingen-adgang/", views.sso_no_role, name="sso_no_role"),
    # Single sign-on (portal.oidc): 404 unless OIDC_CLIENT_ID is set. The provider's redirect URI is /sso/callback/.
    path("sso/log-ind/", login_not_required(oidc.AuthenticateView.as_view()), name="oidc_authentication_init"),
    path("sso/callback/", login_not_required(oidc.CallbackView.as_view()), name="oidc_authentication_callback"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    # The language can be chosen on the login page too.
    path("sprog/", login_not_required(set_language), name="set_language"),
    path("brugere/", users.user_list, name="user_list"),
    path("brugere/ny/", users.user_new, name="user_new"),
    path("brugere/<int:pk>/", users.user_edit, name="user_edit"),
    path("brugere/<int:pk>/link/", users.user_send_link, name="user_send_link"),
    # The link a new user (or one who needs a new password) gets by e-mail; open without a login.
    path("adgangskode/<uidb64>/<token>/", users.PasswordSetView.as_view(), name="password_set"),
    path("adgangskode/gemt/", users.PasswordSetDoneView.as_view(), name="password_set_done"),
    # "Nyt siden sidst" (portal.digest): the start page's date, the e-mail subscription, the mail's unsubscribe link.
    path("nyt/siden/", digest_views.since, name="digest_since"),
    path("nyt/e-mail/", digest_views.subscription, name="digest_settings"),
    path("nyt/afmeld/<str:token>/", digest_views.unsubscribe, name="digest_unsubscribe"),
    path("aendringslog/", views.audit_list, name="audit_list"),
    path("aendringslog/<str:label>/<int:history_id>/", views.audit_detail, name="audit_detail"),
    path("maal/", include("plans.urls")),
    path("dataimport/", include("plans.imports.urls")),
    path("indsamling/", include("plans.collection.urls")),
    path("budget/", include("plans.budget.urls")),
    path("noegletal/", include("plans.keyfigures.urls")),
    path("datakatalog/", include("plans.catalogue.urls")),
    path("investeringer/", include("investments.urls")),
    # The pool's public application form: open without a login (investments.pool.public).
    path("pulje/", include("investments.pool.public.urls")),
    path("arrangementer/", include("events.urls")),
    path("django-admin/", admin.site.urls),
]


handler400 = views.bad_request
