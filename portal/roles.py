"""The portal's three roles and the checks every view uses.

Roles are Django groups (created by migration portal/0001). They are ordered: a caseworker
can do all a committee member can, an administrator all a caseworker can. A superuser
counts as administrator.
"""

from enum import IntEnum
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext_lazy as _


class Role(IntEnum):
    MEMBER = 1
    CASEWORKER = 2
    ADMINISTRATOR = 3

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self]

    @property
    def label(self) -> str:
        return str(LABELS[self])


# Group names are data (stored in the database), so they stay Danish in every language.
GROUP_NAMES = {
    Role.MEMBER: "Udvalgsmedlem",
    Role.CASEWORKER: "Sagsbehandler",
    Role.ADMINISTRATOR: "Administrator",
}
LABELS = {
    Role.MEMBER: _("Udvalgsmedlem"),
    Role.CASEWORKER: _("Sagsbehandler"),
    Role.ADMINISTRATOR: _("Administrator"),
}
_ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}


def parse_group_roles(mapping: dict[str, str]) -> dict[str, str]:
    """OIDC_GROUP_ROLES: the identity provider's group -> the portal's role group.

    Keys are compared without case (AD group names and Entra ID object ids are case-insensitive);
    a role must be one of the three group names (any case). Read by settings, so no models here.
    """
    roles = {name.casefold(): name for name in GROUP_NAMES.values()}
    parsed = {}
    for group, role in mapping.items():
        if role.casefold() not in roles:
            names = ", ".join(GROUP_NAMES.values())
            raise ImproperlyConfigured(f"OIDC_GROUP_ROLES: {role!r} (for {group!r}) is not a role; use {names}.")
        parsed[group.casefold()] = roles[role.casefold()]
    return parsed


def role_of(user) -> Role | None:
    """The highest role the user holds, or None. Cached on the user object (one query)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_portal_role"):
        if user.is_superuser:
            user._portal_role = Role.ADMINISTRATOR
        else:
            roles = [_ROLE_BY_GROUP[n] for n in user.groups.values_list("name", flat=True) if n in _ROLE_BY_GROUP]
            user._portal_role = max(roles, default=None)
    return user._portal_role


def has_role(user, role: Role) -> bool:
    current = role_of(user)
    return current is not None and current >= role


def role_required(role: Role):
    """View decorator: 403 unless the user holds `role` or a higher one.

    Anonymous users never get here: LoginRequiredMiddleware sends them to the login page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator
