"""The Jobindsats tables' next release dates in the committee's year (portal.registry.calendar_source,
registered in PlansConfig.ready): what the API last said about each table the portal fetches
(TableMetadata). The annual wheel shows them beside its own events without reading the import."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.imports.models import TableMetadata
from portal.registry import CalendarEntry

# The årshjul's kind of these entries; plans.wheel.models.WheelEvent.Kind names the same key and label.
RELEASE_KIND = "jobindsats"
RELEASE_KIND_LABEL = gettext_lazy("Jobindsats-udgivelse")


def release_entries(year: int) -> list[CalendarEntry]:
    return [
        CalendarEntry(
            f"jobindsats-{table.table}-{table.next_update:%Y%m%d}",
            _("Jobindsats opdaterer tabel %(table)s") % {"table": table.table},
            year,
            table.next_update.month,
            RELEASE_KIND,
            str(RELEASE_KIND_LABEL),
            table.next_update,
            description=table.title,
        )
        for table in TableMetadata.objects.filter(next_update__year=year)
    ]
