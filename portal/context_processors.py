from django.urls import reverse
from django.utils.translation import gettext as _

from portal.roles import Role, role_of


def navigation(request):
    """Main menu entries the current user may open (the views check the role again)."""
    role = role_of(request.user) if hasattr(request, "user") else None
    if role is None:
        return {"nav_items": [], "current_role": None}
    items = [
        (_("Mål"), reverse("plans:goal_list"), Role.MEMBER),
        (_("Investeringer"), reverse("investments:overview"), Role.MEMBER),
        (_("Arrangementer"), reverse("events:fair_list"), Role.MEMBER),
        (_("50+ projekt"), reverse("events:project"), Role.MEMBER),
        (_("Dataimport"), reverse("imports:list"), Role.ADMINISTRATOR),
        (_("Brugere"), reverse("user_list"), Role.ADMINISTRATOR),
        (_("Ændringslog"), reverse("audit_list"), Role.ADMINISTRATOR),
    ]
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": path.startswith(url)}
            for label, url, needed in items
            if role >= needed
        ],
        "current_role": role,
    }
