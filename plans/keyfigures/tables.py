"""The key figures page's tables: each chart's figures beside it, and the local figures by year."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from plans.keyfigures.services import LOCAL_KINDS, group_members
from portal.tables import NumberColumn, PortalTable


class ShareTable(PortalTable):
    """The share of the labour force on public support by month (plans.keyfigures.services.ShareRow)."""

    period = tables.Column(verbose_name=_("Måned"), orderable=False, attrs={"th": {"scope": "col"}})
    mine = NumberColumn(verbose_name="", decimals=1, suffix=" %", orderable=False)
    group = NumberColumn(verbose_name=_("Sammenligningsgruppen"), decimals=1, suffix=" %", orderable=False)
    group_count = tables.Column(verbose_name=_("Kommuner med tal i gruppen"), orderable=False)
    national = NumberColumn(verbose_name=_("Hele landet"), decimals=1, suffix=" %", orderable=False)

    class Meta(PortalTable.Meta):
        orderable = False

    def __init__(self, data, *, area: str, group=None, **kwargs):
        if group is None:
            kwargs["exclude"] = ("group", "group_count")
        super().__init__(
            [
                {
                    "period": row.period.label,
                    "mine": row.mine,
                    "group": row.group,
                    "group_count": _("%(n)s af %(of)s") % {"n": row.group_count, "of": len(group_members(group))}
                    if group
                    else "",
                    "national": row.national,
                    "national_computed": row.national_computed,
                }
                for row in reversed(data)
            ],
            **kwargs,
        )
        self.columns["mine"].column.verbose_name = area
        if group is not None:
            self.columns["group"].column.verbose_name = group.name

    def render_national(self, value, record):
        text = self.columns["national"].column.render(value)
        return f"{text}*" if record["national_computed"] else text

    def value_national(self, value, record):
        return value


class UnemploymentTable(PortalTable):
    """The portal's area's share of the country's a-dagpenge recipients and population (UnemploymentRow)."""

    period = tables.Column(verbose_name=_("Måned"), orderable=False)
    mine = NumberColumn(verbose_name="", decimals=0, orderable=False)
    national = NumberColumn(verbose_name=_("Fuldtidspersoner på a-dagpenge, hele landet"), decimals=0, orderable=False)
    unemployment_share = NumberColumn(
        verbose_name=_("Andel af landets fuldtidspersoner på a-dagpenge"), decimals=2, suffix=" %", orderable=False
    )
    population_share = NumberColumn(
        verbose_name=_("Andel af landets befolkning 16-66 år"), decimals=2, suffix=" %", orderable=False
    )

    class Meta(PortalTable.Meta):
        orderable = False

    def __init__(self, data, *, area: str, **kwargs):
        super().__init__(
            [
                {
                    "period": row.period.label,
                    "mine": row.mine,
                    "national": row.national,
                    "unemployment_share": row.unemployment_share,
                    "population_share": row.population_share,
                }
                for row in reversed(data)
            ],
            **kwargs,
        )
        self.columns["mine"].column.verbose_name = _("Fuldtidspersoner på a-dagpenge, %(area)s") % {"area": area}


class LocalTable(PortalTable):
    """The local figures by year, newest first, with their sources."""

    year = tables.Column(verbose_name=_("År"), orderable=False)
    source = tables.Column(verbose_name=_("Kilde"), orderable=False, attrs={"td": {"class": "source"}})

    class Meta(PortalTable.Meta):
        orderable = False
        sequence = ("year", "...", "source")

    def __init__(self, years, **kwargs):
        extra = [
            (kind.value, NumberColumn(verbose_name=kind.label, decimals=0, orderable=False)) for kind in LOCAL_KINDS
        ]
        rows = []
        for year in years:
            row = {"year": str(year.year), "source": "; ".join(year.sources)}
            row.update({item.kind: item.value for item in year.kinds})
            rows.append(row)
        super().__init__(rows, extra_columns=extra, **kwargs)


class BenchmarkPlaceTable(PortalTable):
    """The portal's area's places on the newest benchmark list."""

    benefit_group = tables.Column(verbose_name=_("Ydelsesgruppe"), orderable=False)
    expected = NumberColumn(verbose_name=_("Forventet antal"), decimals=0, orderable=False)
    actual = NumberColumn(verbose_name=_("Faktisk antal"), decimals=0, orderable=False)
    rank = tables.Column(verbose_name=_("Placering på benchmarkranglisten"), orderable=False)

    class Meta(PortalTable.Meta):
        orderable = False

    def __init__(self, results, *, of: int, **kwargs):
        super().__init__(
            [
                {
                    "benefit_group": r.benefit_group,
                    "expected": r.expected,
                    "actual": r.actual,
                    "rank": _("%(rank)s af %(of)s") % {"rank": r.rank, "of": of},
                }
                for r in results
            ],
            **kwargs,
        )
