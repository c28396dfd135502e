from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.digest import service
from portal.digest.forms import SinceForm, SubscriptionForm
from portal.digest.models import DigestSettings
from portal.roles import Role, has_role, role_required


@require_POST
@role_required(Role.MEMBER)
def since(request):
    """The start page's date for "Nyt siden sidst", remembered for the user."""
    form = SinceForm(request.POST)
    if form.is_valid():
        service.choose_since(request.user, form.cleaned_data["since"])
    else:
        for error in form.errors.get("since", []):
            messages.error(request, error)
    return redirect(reverse("start") + "#nyt-siden-sidst")


@role_required(Role.MEMBER)
def subscription(request):
    """Subscribe to the e-mail digest (weekly, or when a half-year report is ready), or stop it."""
    current = service.settings_of(request.user) or DigestSettings(user=request.user)
    form = SubscriptionForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        frequency = form.cleaned_data["frequency"]
        service.subscribe(request.user, frequency, request.LANGUAGE_CODE, request.build_absolute_uri("/"))
        if frequency:
            messages.success(
                request,
                _("Du får nu nyt siden sidst på e-mail: %(how)s.") % {"how": current.get_frequency_display().lower()},
            )
        else:
            messages.success(request, _("Du får ikke længere nyt siden sidst på e-mail."))
        return redirect("digest_settings")
    # An administrator adds their own e-mail on their user page, rather than asking another administrator.
    own_user_url = reverse("user_edit", args=[request.user.pk]) if has_role(request.user, Role.ADMINISTRATOR) else None
    context = {"form": form, "email": request.user.email, "own_user_url": own_user_url}
    return render(request, "portal/digest/settings.html", context)


# No login: the link comes from a mail. The signed token, not the session, says whose subscription it is, so
# CSRF protection adds nothing and would break the mail program's one-click POST (RFC 8058); a GET only
# shows the button, so a mail scanner that opens links unsubscribes nobody.
@login_not_required
@csrf_exempt
def unsubscribe(request, token):
    user_id = service.user_id_of(token)
    if user_id is None:
        return render(request, "portal/digest/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        service.unsubscribe(user_id)
        return render(request, "portal/digest/unsubscribe.html", {"done": True})
    return render(request, "portal/digest/unsubscribe.html", {})
