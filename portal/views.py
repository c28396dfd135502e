from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

from portal import audit
from portal.digest import service as digest
from portal.digest.forms import SinceForm
from portal.registry import registry
from portal.roles import Role, role_of, role_or_data_owner_required, role_required


@role_or_data_owner_required(Role.MEMBER)
def start(request):
    """The start page: what the user's role may do, "Nyt siden sidst" (portal.digest), then each app's panel
    (portal.registry.start_panel).

    A data owner without a role has only their figures, so that is where they start."""
    if role_of(request.user) is None:
        return redirect("collection:mine")
    today = timezone.localdate()
    role = role_of(request.user)
    news = digest.for_start_page(request.user, role, today)
    news["since_form"] = SinceForm(initial={"since": news["digest"].since if news["since_chosen"] else None})
    panels = []
    for template, context in registry.start_panels:
        found = context(request, today)
        if found is not None:
            panels.append(render_to_string(template, found, request))
    return render(request, "portal/start.html", {"role": role, "Role": Role, "panels": panels, **news})


@role_required(Role.ADMINISTRATOR)
def audit_list(request):
    return render(request, "portal/audit_list.html", {"entries": audit.recent()})


@role_required(Role.ADMINISTRATOR)
def audit_detail(request, label, history_id):
    model, record, changes = audit.detail(label, history_id)
    return render(
        request,
        "portal/audit_detail.html",
        {"model_name": model._meta.verbose_name, "record": record, "changes": changes},
    )


@requires_csrf_token
def bad_request(request, exception):
    """handler400: a Danish page that says what was wrong, instead of Django's English one.

    Also reached for requests refused before the session or the login is read (e.g. an unknown
    host), so the templates may use only what base.html copes without.
    """
    if isinstance(exception, RequestDataTooBig):  # more form data than DATA_UPLOAD_MAX_MEMORY_SIZE
        return render(request, "413.html", status=413)
    context = {"max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES} if isinstance(exception, TooManyFilesSent) else {}
    return render(request, "400.html", context, status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid security token gets a page in the user's language."""
    return render(request, "403_csrf.html", status=403)


class LoginView(auth_views.LoginView):
    """The login page: the municipality's login (when SSO is on) and/or the local username form.

    With LOCAL_LOGIN=0 the form is not shown and a posted password is refused (403).
    """

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, sso_enabled=settings.OIDC_ENABLED, local_login=settings.LOCAL_LOGIN)


ROLE_DESCRIPTIONS = {
    Role.MEMBER: _("læser mål, rapporter, investeringer og arrangementer (kun samlede tal)"),
    Role.CASEWORKER: _("tilmelder borgere og kulturaktører til messerne"),
    Role.ADMINISTRATOR: _("indlæser data og redigerer mål, forslag, arrangementer og brugere"),
}


@login_not_required
def sso_no_role(request):
    """Shown when the municipality's login knew the user but no group of theirs gives a role."""
    from_login = request.session.pop("sso_no_role", False)
    groups = {}
    if from_login:  # the provider's group names only to someone who has just logged in there
        for group, role in settings.OIDC_GROUP_ROLES.items():
            groups.setdefault(role, []).append(group)
    roles = [(role.label, ROLE_DESCRIPTIONS[role], sorted(groups.get(role.group_name, []))) for role in Role]
    context = {"from_login": from_login, "contact": settings.OIDC_ACCESS_CONTACT, "roles": roles}
    return render(request, "registration/sso_no_role.html", context)
