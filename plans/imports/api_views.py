"""The administrators' page for the Jobindsats API: is a key set (never the key), each table's last fetch, "Hent nu"."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from plans.imports import fetch_tasks, fetching
from portal.roles import Role, role_required


@role_required(Role.ADMINISTRATOR)
def api_status(request):
    if request.method == "POST":
        transaction.on_commit(fetch_tasks.queue)
        messages.success(
            request,
            _("Hentningen fra Jobindsats er sat i gang. Resultatet vises her og under Dataimport, når den er færdig."),
        )
        return redirect("imports:api")
    return render(request, "plans/import_api.html", fetching.overview())
