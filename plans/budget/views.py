"""The budget follow-up page (members read) and the administrators' budget form."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.budget import pdf
from plans.budget import services as service
from plans.budget.forms import budget_forms
from plans.budget.tables import OverviewTable
from portal.exports import export_response
from portal.pdf import PdfUnavailable
from portal.roles import Role, has_role, role_required

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR else default


def _chosen(request):
    """The year and follow-up asked for; by default the newest follow-up at or before today, this year."""
    today = timezone.localdate()
    year = _year(request.GET.get("aar"), today.year)
    if "opfoelgning" in request.GET:
        return year, service.follow_up(request.GET["opfoelgning"])
    if "aar" in request.GET and year != today.year:
        return year, None
    return year, service.default_follow_up(today)


@role_required(Role.MEMBER)
def overview(request):
    year, follow = _chosen(request)
    data = service.build(year, follow)
    wanted = request.GET.get("eksport")
    if wanted in ("csv", "xlsx"):
        return export_response(wanted, data.export_name(), data.export_headers(), data.export_rows(), title=data.title)
    if wanted == "pdf":
        return _pdf(request, data)
    table = OverviewTable(data.groups, caption=_("Overblik: %(title)s") % {"title": data.title})
    query = f"aar={data.year}" + (f"&opfoelgning={data.follow_up.key}" if data.follow_up else "")
    context = {
        "data": data,
        "table": table,
        "query": query,
        "follow_ups": service.follow_ups(),
        "is_admin": has_role(request.user, Role.ADMINISTRATOR),
    }
    return render(request, "plans/budget/overview.html", context)


def _pdf(request, data):
    try:
        content = pdf.render(data, timezone.localdate())
    except PdfUnavailable:
        messages.error(
            request,
            _(
                "PDF-udgaven kan ikke laves på denne server, fordi WeasyPrint eller dets "
                "systembiblioteker (Pango) ikke er installeret. Brug udskriften eller XLSX-filen."
            ),
        )
        query = f"?aar={data.year}" + (f"&opfoelgning={data.follow_up.key}" if data.follow_up else "")
        return redirect(reverse("budget:overview") + query)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(data)}"'
    return response


@role_required(Role.ADMINISTRATOR)
def edit(request, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    forms = budget_forms(service.budgets_of(year), request.POST if request.method == "POST" else None)
    if request.method == "POST" and all([form.is_valid() for form in forms]):
        service.save_budgets(year, {form.group.key: form.values for form in forms}, request.user)
        messages.success(request, _("Budgettet for %(year)s er gemt.") % {"year": year})
        return redirect(f"{reverse('budget:overview')}?aar={year}")
    invalid = request.method == "POST"
    return render(request, "plans/budget/edit.html", {"year": year, "forms": forms, "invalid": invalid})
