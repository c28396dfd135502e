"""The budget follow-up's overview table."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.tables import NumberColumn, PortalTable
from portal.templatetags.portal_format import tal


class OverviewTable(PortalTable):
    group = tables.Column(verbose_name=_("Ydelsesgruppe"), accessor="group__label", orderable=False, default="-")
    budget = NumberColumn(
        verbose_name=_("Budget (fuldtidspersoner)"), accessor="budget_persons", decimals=1, orderable=False, default="-"
    )
    year_to_date = NumberColumn(verbose_name=_("Gennemsnit år til dato"), decimals=1, orderable=False, default="-")
    difference = NumberColumn(verbose_name=_("Forskel til budget"), decimals=1, orderable=False, default="-")
    difference_percent = NumberColumn(
        verbose_name=_("Forskel i pct."), decimals=1, suffix=" %", orderable=False, default="-"
    )
    year_end = NumberColumn(verbose_name=_("Skøn for året"), decimals=1, orderable=False, default="-")
    spend = tables.Column(
        verbose_name=_("Forventet mer-/mindreforbrug"), accessor="spend_text", orderable=False, default="-"
    )

    class Meta(PortalTable.Meta):
        sequence = ("group", "budget", "year_to_date", "difference", "difference_percent", "year_end", "spend")

    def render_group(self, value, record):
        return format_html('<a href="#gruppe-{}">{}</a>', record.group.key, value)

    def render_spend(self, value):
        return value

    def render_difference(self, value):
        return _signed(value)

    def render_difference_percent(self, value):
        return f"{_signed(value)} %"


def _signed(value) -> str:
    text = tal(value, 1)
    return f"+{text}" if value is not None and value > 0 else text
