"""User management for administrators (/brugere/): create, edit, set the role, deactivate, and send
a link to set a password (Django's password-reset flow with Danish texts). Every change is written
to UserChange, which the audit page (portal.audit) shows beside the other changes.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.forms import BoundedTextMixin
from portal.models import UserChange
from portal.roles import DATA_OWNER_GROUP, GROUP_NAMES, Role, role_required

NO_ROLE = ""
SSO_PREFIX = "sso-"  # portal.oidc.username_for: users of the municipality's login
_ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}


def role_from_groups(user) -> Role | None:
    """The user's role read from prefetched groups (role_of would query once per user)."""
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return max((_ROLE_BY_GROUP[g.name] for g in user.groups.all() if g.name in _ROLE_BY_GROUP), default=None)


def is_data_owner_from_groups(user) -> bool:
    """Whether the user holds the Dataansvarlig group, read from prefetched groups."""
    return any(g.name == DATA_OWNER_GROUP for g in user.groups.all())


def _role_choices():
    return [(role.group_name, role.label) for role in Role] + [(NO_ROLE, gettext_lazy("Ingen rolle (ingen adgang)"))]


def _role_label(group_name: str) -> str:
    return _ROLE_BY_GROUP[group_name].label if group_name in _ROLE_BY_GROUP else str(gettext_lazy("Ingen rolle"))


class UserForm(BoundedTextMixin, forms.ModelForm):
    role = forms.ChoiceField(
        label=gettext_lazy("Rolle"), choices=_role_choices, widget=forms.RadioSelect, required=False
    )
    # Beside the role, not one of them (portal.roles): a data owner with no role sees only their figures.
    data_owner = forms.BooleanField(
        label=gettext_lazy("Dataansvarlig"),
        required=False,
        help_text=gettext_lazy(
            "Må indtaste lokale tal for de indikatorer, brugeren er dataansvarlig for, og se deres målsider. "
            "Indikatorerne vælges under Indsamling."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "data_owner", "is_active"]
        labels = {
            "username": gettext_lazy("Brugernavn"),
            "first_name": gettext_lazy("Fornavn"),
            "last_name": gettext_lazy("Efternavn"),
            "email": gettext_lazy("E-mail"),
            "is_active": gettext_lazy("Aktiv"),
        }
        help_texts = {
            "username": gettext_lazy("Bruges til at logge ind. Bogstaver, tal og @ . + - _."),
            "is_active": gettext_lazy("En deaktiveret bruger kan ikke logge ind; ændringerne i loggen bevares."),
        }

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        # Optional: a role or a name can be changed without one (the demo users have none); only the
        # link to set a password needs it (clean).
        self.fields["email"].help_text = _(
            "Linket til at vælge en adgangskode sendes hertil. Kan udelades, når der ikke skal sendes et link."
        )
        if self.instance.pk:
            self.fields["username"].disabled = True
            role = role_from_groups(self.instance)
            self.initial["role"] = role.group_name if role else NO_ROLE
            self.initial["data_owner"] = is_data_owner_from_groups(self.instance)
        else:
            del self.fields["is_active"]
            self.initial["role"] = Role.MEMBER.group_name
            self.fields["send_link"] = forms.BooleanField(
                label=_("Send et link, så brugeren selv kan vælge en adgangskode"), required=False, initial=True
            )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if not self.instance.pk and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Brugernavnet er allerede i brug."))
        if not self.instance.pk and username.casefold().startswith(SSO_PREFIX):
            raise forms.ValidationError(_("Brugernavne, der begynder med 'sso-', er forbeholdt kommunens login."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("En anden bruger har allerede denne e-mailadresse."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("send_link") and "email" in data and not data["email"]:
            self.add_error("email", _("Skriv en e-mailadresse, så linket kan sendes, eller fravælg linket."))
        if self.instance.pk and self.instance.pk == self.editor.pk:  # no administrator locks themself out
            if data.get("is_active") is False:
                self.add_error("is_active", _("Du kan ikke deaktivere dig selv."))
            if "role" in data and data["role"] != Role.ADMINISTRATOR.group_name and not self.instance.is_superuser:
                self.add_error("role", _("Du kan ikke fjerne din egen administratorrolle."))
        return data


@role_required(Role.ADMINISTRATOR)
def user_list(request):
    users = User.objects.order_by("username").prefetch_related(Prefetch("groups"))
    rows = [(u, role_from_groups(u), is_data_owner_from_groups(u)) for u in users]
    return render(request, "portal/user_list.html", {"rows": rows})


@role_required(Role.ADMINISTRATOR)
def user_new(request):
    form = UserForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.set_unusable_password()
            user.save()
            _set_role(user, form.cleaned_data["role"])
            _set_data_owner(user, form.cleaned_data["data_owner"])
            log(
                user,
                UserChange.Action.CREATED,
                request.user,
                [
                    [str(form.fields[name].label), None, _shown(form.cleaned_data[name], name)]
                    for name in ("username", "first_name", "last_name", "email", "role", "data_owner")
                ],
            )
        messages.success(request, _("Brugeren %(username)s er oprettet.") % {"username": user.username})
        if form.cleaned_data.get("send_link"):
            _send_and_report(request, user)
        return redirect("user_list")
    return render(request, "portal/user_form.html", {"form": form, "target": None})


@role_required(Role.ADMINISTRATOR)
def user_edit(request, pk):
    target = _target(request, pk)
    before = {"first_name": target.first_name, "last_name": target.last_name, "email": target.email}
    role_before = role_from_groups(target)
    owner_before = is_data_owner_from_groups(target)
    active_before = target.is_active
    form = UserForm(request.POST or None, instance=target, editor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            new_role = form.cleaned_data["role"]
            changed = [
                [str(form.fields[name].label), old, getattr(user, name)]
                for name, old in before.items()
                if getattr(user, name) != old
            ]
            if changed:
                log(user, UserChange.Action.CHANGED, request.user, changed)
            old_role = role_before.group_name if role_before else NO_ROLE
            if new_role != old_role and not user.is_superuser:
                _set_role(user, new_role)
                log(
                    user,
                    UserChange.Action.ROLE,
                    request.user,
                    [[str(form.fields["role"].label), _role_label(old_role), _role_label(new_role)]],
                )
            if form.cleaned_data["data_owner"] != owner_before:
                _set_data_owner(user, form.cleaned_data["data_owner"])
                log(
                    user,
                    UserChange.Action.ROLE,
                    request.user,
                    [[str(form.fields["data_owner"].label), _yes_no(owner_before), _yes_no(not owner_before)]],
                )
            if user.is_active != active_before:
                action = UserChange.Action.ACTIVATED if user.is_active else UserChange.Action.DEACTIVATED
                log(
                    user,
                    action,
                    request.user,
                    [[str(form.fields["is_active"].label), _yes_no(active_before), _yes_no(user.is_active)]],
                )
        messages.success(request, _("Brugeren %(username)s er gemt.") % {"username": user.username})
        return redirect("user_list")
    changes = UserChange.objects.filter(user=target).select_related("changed_by")[:20]
    return render(
        request,
        "portal/user_form.html",
        {
            "form": form,
            "target": target,
            "changes": changes,
            "is_sso": target.username.startswith(SSO_PREFIX),
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def user_send_link(request, pk):
    user = _target(request, pk)
    _send_and_report(request, user)
    return redirect("user_edit", pk=user.pk)


def _target(request, pk) -> User:
    user = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    if user.is_superuser and not request.user.is_superuser:  # a superuser is managed in Django's admin
        raise PermissionDenied
    return user


def _set_role(user: User, group_name: str) -> None:
    user.groups.remove(*Group.objects.filter(name__in=GROUP_NAMES.values()))
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))


def _set_data_owner(user: User, on: bool) -> None:
    group = Group.objects.get(name=DATA_OWNER_GROUP)
    if on:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def _shown(value, name: str):
    if name == "data_owner":
        return _yes_no(value)
    return _role_label(value) if name == "role" else value


def _yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def log(user: User, action: str, by: User | None, changes=()) -> UserChange:
    return UserChange.objects.create(
        user=user, username=user.username, action=action, changes=list(changes), changed_by=by
    )


def _send_and_report(request, user: User) -> None:
    if user.username.startswith(SSO_PREFIX):
        messages.error(request, _("Brugeren logger ind med kommunens login og har ingen adgangskode i portalen."))
    elif not user.is_active:
        messages.error(request, _("Brugeren er deaktiveret; aktivér brugeren, før der sendes et link."))
    elif not user.email:
        messages.error(request, _("Brugeren har ingen e-mailadresse, så der er ikke sendt et link."))
    else:
        send_password_link(request, user)
        log(user, UserChange.Action.LINK_SENT, request.user, [[_("E-mail"), None, user.email]])
        messages.success(request, _("Et link til at vælge adgangskode er sendt til %(email)s.") % {"email": user.email})


class PasswordSetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, void once the user is deactivated, and still void after a reactivation.

    The hash holds is_active and the user's latest deactivation in the audit trail, so a link sent
    before a deactivation never works again; the reactivated user gets a new link.
    """

    def _make_hash_value(self, user, timestamp):
        deactivated = (
            UserChange.objects.filter(user=user, action=UserChange.Action.DEACTIVATED)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        return f"{super()._make_hash_value(user, timestamp)}|{user.is_active}|{deactivated}"


password_set_tokens = PasswordSetTokenGenerator()


def send_password_link(request, user: User) -> None:
    """Django's password-reset token in a Danish e-mail; the link is valid for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": password_set_tokens.make_token(user),
        },
    )
    context = {"user": user, "link": request.build_absolute_uri(path), "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("registration/password_set_subject.txt", context).split())
        body = render_to_string("registration/password_set_email.txt", context)
    send_mail(subject, body, None, [user.email])


@method_decorator(login_not_required, name="dispatch")
class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page the e-mailed link opens: the user chooses a password (the portal's password rules)."""

    template_name = "registration/password_set_form.html"
    token_generator = password_set_tokens
    success_url = reverse_lazy("password_set_done")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        log(form.user, UserChange.Action.PASSWORD_SET, form.user)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_set_done.html"
