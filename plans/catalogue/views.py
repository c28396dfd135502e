"""The data catalogue's page: every Jobindsats table the portal reads (plans.catalogue.services)."""

from django.shortcuts import render
from django.utils import timezone

from plans.catalogue import services
from portal.roles import Role, has_role, role_required


@role_required(Role.MEMBER)
def catalogue(request):
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    data = services.build(timezone.localdate(), is_admin)
    return render(request, "plans/catalogue/list.html", {"catalogue": data, "is_admin": is_admin})
