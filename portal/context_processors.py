from django.urls import reverse
from django.utils.translation import gettext as _

from portal import demo
from portal.roles import DATA_OWNER_LABEL, Role, is_data_owner, role_of


def navigation(request):
    """Main menu entries the current user may open (the views check the role again)."""
    role = role_of(request.user) if hasattr(request, "user") else None
    owner = role is None and hasattr(request, "user") and is_data_owner(request.user)
    if role is None and not owner:
        return {"nav_items": [], "current_role": None, "user_label": ""}
    items = [
        (_("Mål"), reverse("plans:goal_list"), Role.MEMBER),
        (_("Budget"), reverse("budget:overview"), Role.MEMBER),
        (_("Nøgletal"), reverse("keyfigures:overview"), Role.MEMBER),
        (_("Investeringer"), reverse("investments:overview"), Role.MEMBER),
        (_("Arrangementer"), reverse("events:fair_list"), Role.MEMBER),
        (_("50+ projekt"), reverse("events:project"), Role.MEMBER),
        (_("Dataimport"), reverse("imports:list"), Role.ADMINISTRATOR),
        (_("Indsamling"), reverse("collection:board"), Role.ADMINISTRATOR),
        (_("Brugere"), reverse("user_list"), Role.ADMINISTRATOR),
        (_("Ændringslog"), reverse("audit_list"), Role.ADMINISTRATOR),
    ]
    items = [(label, url) for label, url, needed in items if role is not None and role >= needed]
    if owner:  # a data owner without a role: their own figures only (portal.roles)
        items = [(_("Mine tal"), reverse("collection:mine"))]
    # One entry is current: the one whose URL is the longest prefix of the path (/arrangementer/50-plus/
    # is the 50+ project, not also Arrangementer).
    path = request.path
    current = max((url for _label, url in items if path.startswith(url)), key=len, default=None)
    return {
        "nav_items": [{"label": label, "url": url, "active": url == current} for label, url in items],
        "current_role": role,
        "user_label": user_label(request.user, role),
    }


def user_label(user, role: Role | None) -> str:
    """The name in the header, with the role unless the name already says it ("Udvalgsmedlem (demo)");
    None is a data owner without a role."""
    name = user.get_full_name() or user.username
    label = role.label if role is not None else str(DATA_OWNER_LABEL)
    return name if label.casefold() in name.casefold() else f"{name} ({label})"


def demo_data(request):
    """Whether the demo data set is loaded: base.html then says so on every page. Read from the cache (see
    portal.demo.is_loaded), so it costs a page no query."""
    return {"demo_data_loaded": demo.is_loaded()}
