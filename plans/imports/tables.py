"""The import's tables (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from portal.tables import NumberColumn, PortalTable


class ImportTable(PortalTable):
    pk = tables.LinkColumn("imports:detail", args=[tables.A("pk")], verbose_name="#", text=lambda r: f"#{r.pk}")
    original_name = tables.Column(verbose_name=_("Fil"))
    uploaded_at = tables.DateTimeColumn(verbose_name=_("Uploadet"), format="DATETIME_FORMAT")
    uploaded_by = tables.Column(verbose_name=_("Af"), default=_("kommandolinje"))
    source = tables.Column(verbose_name=_("Kilde"))
    state = tables.Column(verbose_name=_("Status"))
    rows_imported = NumberColumn(verbose_name=_("Rækker brugt"), decimals=0)
    rows_skipped = NumberColumn(verbose_name=_("Sprunget over"), decimals=0)
    observations_changed = NumberColumn(verbose_name=_("Nye/ændrede tal"), decimals=0)

    class Meta(PortalTable.Meta):
        order_by = "-uploaded_at"
