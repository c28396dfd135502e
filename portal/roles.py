"""The portal's three roles, the data owner's capability, and the checks every view uses.

Roles are Django groups (created by migration portal/0001). They are ordered: a caseworker
can do all a committee member can, an administrator all a caseworker can. A superuser
counts as administrator.

Beside the order stands one capability: a data owner (the group "Dataansvarlig", created by
plans/0012) enters the figures of the indicators they own and sees those indicators' goal pages,
nothing else. It is no rank: a data owner with no role may not read what a member reads, and a
member may also be a data owner. Which indicators a user owns is the plans app's to say
(plans.collection); here only whether the user holds the group.
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
DATA_OWNER_GROUP = "Dataansvarlig"
DATA_OWNER_LABEL = _("Dataansvarlig")
# Every group the portal grants: what single sign-on maps to and keeps in step, and /brugere/ sets.
PORTAL_GROUPS = (*GROUP_NAMES.values(), DATA_OWNER_GROUP)


def parse_group_roles(mapping: dict[str, str]) -> dict[str, str]:
    """OIDC_GROUP_ROLES: the identity provider's group -> the portal's role group.

    Keys are compared without case (AD group names and Entra ID object ids are case-insensitive);
    a role must be one of the three role groups or Dataansvarlig (any case). Read by settings, so no models here.
    """
    roles = {name.casefold(): name for name in PORTAL_GROUPS}
    parsed = {}
    for group, role in mapping.items():
        if role.casefold() not in roles:
            names = ", ".join(PORTAL_GROUPS)
            raise ImproperlyConfigured(f"OIDC_GROUP_ROLES: {role!r} (for {group!r}) is not a role; use {names}.")
        parsed[group.casefold()] = roles[role.casefold()]
    return parsed


def _read_groups(user) -> None:
    """The user's role and data-owner capability, kept on the user object (one query for both)."""
    names = set() if user.is_superuser else set(user.groups.values_list("name", flat=True))
    roles = [_ROLE_BY_GROUP[n] for n in names if n in _ROLE_BY_GROUP]
    user._portal_role = Role.ADMINISTRATOR if user.is_superuser else max(roles, default=None)
    user._portal_data_owner = DATA_OWNER_GROUP in names


def role_of(user) -> Role | None:
    """The highest role the user holds, or None. Cached on the user object (one query)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_portal_role") or not hasattr(user, "_portal_data_owner"):
        _read_groups(user)
    return user._portal_role


def is_data_owner(user) -> bool:
    """The user holds the group Dataansvarlig (an administrator needs not: they may do everything)."""
    if not user.is_authenticated or not user.is_active:
        return False
    role_of(user)  # reads the groups once, with the role
    return user._portal_data_owner


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


def role_or_data_owner_required(role: Role):
    """View decorator: 403 unless the user holds `role` (or a higher one) or is a data owner.

    The view itself then checks that a data owner without the role owns what the page shows
    (plans.collection.services.ownership.may_see_goal and may_enter).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (has_role(request.user, role) or is_data_owner(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator
