import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from investments.services.summary import Overview, in_thousands
from portal.tables import NumberColumn, PortalTable


class SummaryTable(PortalTable):
    """Bilag 4's "Samlet oversigt": net effect per proposal and year in 1.000 kr., and the total."""

    label = tables.Column(verbose_name=_("EAU investeringsforslag"), orderable=False)

    class Meta(PortalTable.Meta):
        orderable = False
        row_attrs = {"class": lambda record: "total-row" if record.get("total") else ""}

    @classmethod
    def build(cls, overview: Overview, **kwargs):
        # Blank where Bilag 4 leaves the cell empty (not django-tables2's "—").
        columns = [
            (str(y), NumberColumn(verbose_name=str(y), decimals=0, accessor=tables.A(str(y)), default=""))
            for y in overview.years
        ]
        rows = []
        for p in overview.proposals:
            # A zero net (investment and savings cancel out) is printed as "-" in Bilag 4.
            rows.append(
                {
                    "label": _("Forslag %(number)s") % {"number": p.proposal.number},
                    **{str(y.year): in_thousands(y.net) or None for y in p.years},
                }
            )
        rows.append(
            {
                "label": _("I alt mindre forsørgelse"),
                "total": True,
                **{str(y): in_thousands(t) for y, t in zip(overview.years, overview.totals)},
            }
        )
        return cls(rows, extra_columns=columns, **kwargs)


class BudgetTable(PortalTable):
    year = tables.Column(verbose_name=_("År"), orderable=False)
    potential = NumberColumn(verbose_name=_("Potentiale (nettovirkning)"), decimals=3, orderable=False)
    budgeted = NumberColumn(verbose_name=_("Indregnet i budgettet"), decimals=3, orderable=False)
    # Blank with a word, not a number, where no realisation is registered (BudgetYear.registered).
    realised_savings = NumberColumn(
        verbose_name=_("Realiseret besparelse"), decimals=3, orderable=False, default=_("ikke registreret")
    )
    realised_net = NumberColumn(
        verbose_name=_("Realiseret nettovirkning"), decimals=3, orderable=False, default=_("ikke registreret")
    )
    difference = NumberColumn(
        verbose_name=_("Realiseret mod budget"), decimals=3, orderable=False, default=_("ikke registreret")
    )

    class Meta(PortalTable.Meta):
        row_attrs = {"class": lambda record: "total-row" if record.get("total") else ""}

    @classmethod
    def build(cls, overview: Overview, **kwargs):
        rows = [
            {
                "year": str(b.year) if b.year else _("I alt"),
                "total": not b.year,
                "potential": b.potential,
                "budgeted": b.budgeted,
                "realised_savings": b.realised_savings if b.registered else None,
                "realised_net": b.realised_net if b.registered else None,
                "difference": b.difference,
            }
            for b in [*overview.budget, overview.budget_total()]
        ]
        return cls(rows, **kwargs)
