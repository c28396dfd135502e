from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tables2 import RequestConfig

from plans.import_forms import MappingForm, UploadForm
from plans.models import DataImport, ExtractMapping
from plans.services import imports
from plans.tables import ImportTable
from portal.roles import Role, role_required


@role_required(Role.ADMINISTRATOR)
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            records = [imports.create(upload, request.user) for upload in form.cleaned_data["files"]]
        messages.success(request, ngettext("%(n)s fil er modtaget og sat i kø.", "%(n)s filer er modtaget og sat i kø.", len(records)) % {"n": len(records)})
        return redirect("imports:detail", records[0].pk) if len(records) == 1 else redirect("imports:list")
    table = ImportTable(DataImport.objects.select_related("uploaded_by"), caption=_("Tidligere importer"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "plans/import_list.html", {"form": form, "table": table})


@role_required(Role.ADMINISTRATOR)
def import_detail(request, pk):
    record = get_object_or_404(DataImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "plans/import_detail.html", {"record": record})


@role_required(Role.ADMINISTRATOR)
def import_status(request, pk):
    """Polled by the import page while the import runs."""
    record = get_object_or_404(DataImport, pk=pk)
    return JsonResponse({
        "state": record.state, "state_label": record.get_state_display(), "finished": record.is_finished,
        "rows_total": record.rows_total, "rows_processed": record.rows_processed,
    })  # fmt: skip


@role_required(Role.ADMINISTRATOR)
def mapping_list(request):
    mappings = ExtractMapping.objects.select_related("indicator__goal").order_by("indicator__goal__major", "indicator__goal__minor")
    return render(request, "plans/mapping_list.html", {"mappings": mappings})


@role_required(Role.ADMINISTRATOR)
def mapping_edit(request, pk=None):
    mapping = get_object_or_404(ExtractMapping, pk=pk) if pk else None
    form = MappingForm(request.POST or None, instance=mapping)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Koblingen er gemt."))
        return redirect("imports:mappings")
    return render(request, "plans/mapping_form.html", {"form": form, "mapping": mapping})
