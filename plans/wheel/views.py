"""The annual wheel page (every role) and the administrators' fixed events."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.plan_forms import WheelEventForm
from plans.wheel import service
from plans.wheel.models import WheelEvent
from portal.roles import Role, has_role, role_required


@role_required(Role.MEMBER)
def wheel(request):
    today = timezone.localdate()
    wanted = request.GET.get("aar", "")
    year = int(wanted) if wanted.isdigit() and 2000 <= int(wanted) <= 2100 else today.year
    return render(
        request,
        "plans/wheel/wheel.html",
        {
            "year": year,
            "months": service.months(year),
            "today": today,
            "is_admin": has_role(request.user, Role.ADMINISTRATOR),
            "Kind": WheelEvent.Kind,
        },
    )


@role_required(Role.ADMINISTRATOR)
def event_edit(request, pk=None):
    event = get_object_or_404(WheelEvent, pk=pk) if pk else None
    form = WheelEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("'%(title)s' er gemt i årshjulet.") % {"title": event.title})
        return redirect("plans:wheel")
    return render(request, "plans/wheel/event_form.html", {"form": form, "event": event})


@require_POST
@role_required(Role.ADMINISTRATOR)
def event_delete(request, pk):
    event = get_object_or_404(WheelEvent, pk=pk)
    if request.POST.get("bekraeft") != "ja":
        return render(request, "plans/wheel/event_delete.html", {"event": event})
    event.delete()
    messages.success(request, _("'%(title)s' er fjernet fra årshjulet.") % {"title": event.title})
    return redirect("plans:wheel")
