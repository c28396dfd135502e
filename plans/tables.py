import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.tables import NumberColumn, PortalTable


class ObservationTable(PortalTable):
    """An indicator's series: one row per period (data: dicts built by plans.services.goal_page, period a Period)."""

    period = tables.Column(verbose_name=_("Periode"), order_by=("period_end",))
    value = NumberColumn(verbose_name=_("Værdi"))
    comparison = NumberColumn(verbose_name=_("Sammenligning"))
    target = NumberColumn(verbose_name=pgettext_lazy("målværdi", "Mål"))
    source = tables.Column(verbose_name=_("Kilde"), orderable=False, attrs={"td": {"class": "source"}})

    class Meta(PortalTable.Meta):
        order_by = "-period"

    def __init__(self, *args, decimals: int, comparison_label: str, suffix: str = "", **kwargs):
        if not comparison_label:
            kwargs["exclude"] = ("comparison",)
        super().__init__(*args, **kwargs)
        for bound in self.columns:
            if isinstance(bound.column, NumberColumn):
                bound.column.decimals, bound.column.suffix = decimals, suffix
        if comparison_label:
            self.columns["comparison"].column.verbose_name = comparison_label

    def render_period(self, value):
        return value.short_label  # the chart's label (mar. 2024), as on its axis

    def value_period(self, value):
        """The export writes the period in full (2. halvår 2022)."""
        return value.label


class BenchmarkTable(PortalTable):
    benefit_group = tables.Column(verbose_name=_("Ydelsesgruppe"), orderable=False)
    expected = NumberColumn(verbose_name=_("Forventet antal"), decimals=0)
    actual = NumberColumn(verbose_name=_("Faktisk antal"), decimals=0)
    difference = NumberColumn(verbose_name=_("Forskel mellem forventet og faktisk antal"), decimals=0)
    rank = NumberColumn(verbose_name=_("Placering på benchmarkranglisten"), decimals=0)

    class Meta(PortalTable.Meta):  # django-tables2 reads only a table's own Meta: without it, no caption nor template
        pass


class BenchmarkRankingTable(PortalTable):
    """The minister's benchmark list of the municipalities; the portal's area's row is marked."""

    rank = NumberColumn(verbose_name=_("Placering"), decimals=0, orderable=False)
    area = tables.Column(verbose_name=_("Kommune"), orderable=False)
    expected = NumberColumn(verbose_name=_("Forventet antal"), decimals=0, orderable=False)
    actual = NumberColumn(verbose_name=_("Faktisk antal"), decimals=0, orderable=False)
    difference = NumberColumn(verbose_name=_("Forskel"), decimals=0, orderable=False)
    group_rank = NumberColumn(verbose_name=_("Placering i gruppen"), decimals=0, orderable=False)

    class Meta(PortalTable.Meta):
        orderable = False
        row_attrs = {
            "class": lambda record: "ranking-mine" if record["mine"] else "",
            "aria-current": lambda record: "true" if record["mine"] else None,
        }

    def __init__(self, *args, in_group: bool = False, **kwargs):
        if not in_group:
            kwargs["exclude"] = ("group_rank",)
        super().__init__(*args, **kwargs)

    def render_area(self, value, record):
        return format_html("<strong>{}</strong>", value) if record["mine"] else value

    def value_area(self, value):
        return value
