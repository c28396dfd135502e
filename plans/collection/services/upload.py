"""A data owner's filled-in local template: their own template to download, and the upload, which goes the
import's way (plans.imports.service.create, queued after commit) once it is seen to hold only their indicators."""

from datetime import date

from django.db.models import Prefetch

from plans.imports import service, template
from plans.imports.models import DataImport
from plans.imports.reading import ExtractError, read_extract
from plans.imports.validation import TEMPLATE_KEY
from plans.models import Goal, Indicator, Plan


class UploadRefused(Exception):
    """The file cannot be taken from this user; the message is for them (Danish)."""


def owner_template(plan: Plan, indicator_ids: list[int], today: date) -> bytes:
    """The local template with only these indicators (plans.imports.template)."""
    goals = (
        Goal.objects.filter(plan=plan, indicators__in=indicator_ids)
        .distinct()
        .order_by("major", "minor")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.filter(pk__in=indicator_ids)))
    )
    return template.build(list(goals), plan.year, today)


def accept(uploaded, user, allowed_keys: set[str]) -> DataImport:
    """Store the template as a queued import; refused when it names an indicator outside `allowed_keys`."""
    raw = uploaded.read()
    uploaded.seek(0)
    try:
        extract = read_extract(raw)
    except ExtractError as error:
        raise UploadRefused(str(error)) from None
    if TEMPLATE_KEY not in extract.frame.columns:
        raise UploadRefused(f"Filen er ikke skabelonen for lokale tal (den har ingen kolonne '{TEMPLATE_KEY}').")
    keys = {str(k).strip() for k in extract.frame[TEMPLATE_KEY].dropna()} - {""}
    foreign = sorted(keys - allowed_keys)
    if foreign:
        raise UploadRefused(
            f"Filen har tal for indikatorer, du ikke er dataansvarlig for: {', '.join(foreign)}. "
            "Hent din egen skabelon på siden og udfyld den."
        )
    return service.create(uploaded, user)
