from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tables2 import RequestConfig

from plans.core.models import Goal, Plan
from plans.imports import columns, mapping_groups, service, tasks, template
from plans.imports.forms import MappingForm, UploadForm
from plans.imports.models import DataImport, ExtractMapping
from plans.imports.tables import ImportTable
from portal.roles import Role, role_required


@role_required(Role.ADMINISTRATOR)
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            records = [
                service.create(upload, request.user, table=form.cleaned_data["table"])
                for upload in form.cleaned_data["files"]
            ]
            for record in records:
                transaction.on_commit(lambda pk=record.pk: tasks.queue(pk))
        messages.success(
            request,
            ngettext("%(n)s fil er modtaget og sat i kø.", "%(n)s filer er modtaget og sat i kø.", len(records))
            % {"n": len(records)},
        )
        return redirect("imports:detail", records[0].pk) if len(records) == 1 else redirect("imports:list")
    table = ImportTable(DataImport.objects.select_related("uploaded_by"), caption=_("Tidligere importer"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    warned = [row.record for row in table.page.object_list if service.split_notes(row.record.notes)[0]]
    goals = Goal.objects.filter(plan=Plan.objects.in_force(timezone.localdate())).order_by("major", "minor")
    return render(request, "plans/import_list.html", {"form": form, "table": table, "goals": goals, "warned": warned})


@role_required(Role.ADMINISTRATOR)
def import_detail(request, pk):
    record = get_object_or_404(DataImport.objects.select_related("uploaded_by"), pk=pk)
    warnings, notes = service.split_notes(record.notes)
    return render(request, "plans/import_detail.html", {"record": record, "warnings": warnings, "notes": notes})


@role_required(Role.ADMINISTRATOR)
def import_status(request, pk):
    """Polled by the import page while the import runs."""
    record = get_object_or_404(DataImport, pk=pk)
    return JsonResponse(
        {
            "state": record.state,
            "state_label": record.get_state_display(),
            "finished": record.is_finished,
            "rows_total": record.rows_total,
            "rows_processed": record.rows_processed,
        }
    )


@role_required(Role.ADMINISTRATOR)
def local_template(request):
    """The XLSX for local figures: every goal of the plan, or one (?maal=6.3)."""
    plan = Plan.objects.in_force(timezone.localdate())
    if plan is None:
        raise Http404
    goals = Goal.objects.filter(plan=plan).prefetch_related("indicators").order_by("major", "minor")
    code = request.GET.get("maal", "")
    if code:
        major, _sep, minor = code.partition(".")
        if not (major.isdigit() and minor.isdigit()):
            raise Http404
        goals = goals.filter(major=int(major), minor=int(minor))
    goals = list(goals)
    if not goals:
        raise Http404
    content = template.build(goals, plan.year, timezone.localdate())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"lokale-tal-{code or 'alle-maal'}-{plan.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.ADMINISTRATOR)
def mapping_list(request):
    everything = request.GET.get("alle") == "1"
    groups, left_out = mapping_groups.groups(timezone.localdate(), everything)
    return render(
        request, "plans/mapping_list.html", {"groups": groups, "left_out": left_out, "everything": everything}
    )


@role_required(Role.ADMINISTRATOR)
def mapping_edit(request, pk=None):
    mapping = get_object_or_404(ExtractMapping, pk=pk) if pk else None
    source = (
        DataImport.objects.filter(pk=int(request.GET["fra"])).first() if request.GET.get("fra", "").isdigit() else None
    )
    offered = columns.of_import(source) if source else None
    form = MappingForm(request.POST or None, instance=mapping, columns=offered.measures if offered else ())
    if offered and not mapping and request.method != "POST":
        form.initial["table"] = source.table or columns.table_in_name(source.original_name)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Koblingen er gemt."))
        return redirect("imports:mappings")
    imports = DataImport.objects.filter(state__in=[DataImport.State.DONE, DataImport.State.FAILED]).order_by(
        "-uploaded_at"
    )[:20]
    return render(
        request,
        "plans/mapping_form.html",
        {"form": form, "mapping": mapping, "source": source, "offered": offered, "imports": imports},
    )
