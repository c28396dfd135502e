"""Everything derived from the proposals' yearly figures and realisations; nothing here is stored.

Amounts are in mio. kr. as in Bilag 4 (savings negative); the document's summary table shows
the same net effects in 1.000 kr.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from investments.models import Proposal, Realisation, Strategy, YearlyFigure, net_effect

THOUSAND = Decimal(1000)
ZERO = Decimal(0)


@dataclass
class Year:
    year: int
    investment: Decimal | None = None
    savings: Decimal | None = None
    printed_savings: str = ""
    data_note: str = ""
    realised: Decimal = ZERO  # realised savings booked in the year (negative is a saving)

    @property
    def net(self) -> Decimal:
        """Net effect ("Total" in Bilag 4): investment plus savings (investments.models.net_effect)."""
        return net_effect(self.investment, self.savings)

    @property
    def realised_net(self) -> Decimal:
        """The investment as planned, plus the savings actually realised."""
        return (self.investment or ZERO) + self.realised


@dataclass
class ProposalSummary:
    proposal: Proposal
    years: list[Year]

    @property
    def cumulative(self) -> list[Decimal]:
        running, out = ZERO, []
        for year in self.years:
            running += year.net
            out.append(running)
        return out

    @property
    def break_even_year(self) -> int | None:
        """The first year in which the accumulated net effect is a saving (the investment has paid off)."""
        return next((y.year for y, c in zip(self.years, self.cumulative) if c <= 0), None)


@dataclass
class BudgetYear:
    year: int
    potential: Decimal  # the net effect of all proposals (Bilag 4)
    budgeted: Decimal  # the prudent share of it
    realised_savings: Decimal
    realised_net: Decimal
    registered: bool = True  # any realisation registered for the year (the total: for any year)
    registered_budget: Decimal | None = None  # the total row: the budget of the years with realisations

    @property
    def difference(self) -> Decimal | None:
        """Realised net effect against the budget: negative is better than budgeted. None while no
        realisation is registered: the planned investment alone is not a result."""
        if not self.registered:
            return None
        return self.realised_net - (self.budgeted if self.registered_budget is None else self.registered_budget)


@dataclass
class Overview:
    strategy: Strategy
    proposals: list[ProposalSummary]
    budget: list[BudgetYear] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return self.strategy.years

    @property
    def totals(self) -> list[Decimal]:
        return [sum((p.years[i].net for p in self.proposals), ZERO) for i in range(len(self.years))]

    @property
    def cumulative_totals(self) -> list[Decimal]:
        running, out = ZERO, []
        for total in self.totals:
            running += total
            out.append(running)
        return out

    @property
    def break_even_year(self) -> int | None:
        return next((y for y, c in zip(self.years, self.cumulative_totals) if c <= 0), None)

    def budget_total(self) -> BudgetYear:
        """The sums; what is realised is counted (and measured against the budget) only for the
        years with registered realisations."""
        registered = [b for b in self.budget if b.registered]
        return BudgetYear(
            0,
            sum((b.potential for b in self.budget), ZERO),
            sum((b.budgeted for b in self.budget), ZERO),
            sum((b.realised_savings for b in registered), ZERO),
            sum((b.realised_net for b in registered), ZERO),
            registered=bool(registered),
            registered_budget=sum((b.budgeted for b in registered), ZERO),
        )


def overview(strategy: Strategy) -> Overview:
    """The whole strategy in three queries: proposals, figures, realisations per year."""
    figures = {(f.proposal_id, f.year): f for f in YearlyFigure.objects.filter(proposal__strategy=strategy)}
    realised = defaultdict(lambda: ZERO)
    registered_years = set()
    rows = (
        Realisation.objects.filter(proposal__strategy=strategy)
        .annotate(year=ExtractYear("month"))
        .values("proposal_id", "year")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        realised[(row["proposal_id"], row["year"])] = row["total"]
        registered_years.add(row["year"])
    proposals = []
    for proposal in strategy.proposals.all():
        years = []
        for year in strategy.years:
            figure = figures.get((proposal.id, year))
            years.append(
                Year(
                    year,
                    figure.investment if figure else None,
                    figure.savings if figure else None,
                    figure.printed_savings if figure else "",
                    figure.data_note if figure else "",
                    realised[(proposal.id, year)],
                )
            )
        proposals.append(ProposalSummary(proposal, years))
    result = Overview(strategy, proposals)
    for i, year in enumerate(strategy.years):
        potential = result.totals[i]
        result.budget.append(
            BudgetYear(
                year,
                potential,
                potential * strategy.prudent_share,
                sum((p.years[i].realised for p in proposals), ZERO),
                sum((p.years[i].realised_net for p in proposals), ZERO),
                registered=year in registered_years,
            )
        )
    return result


def in_thousands(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount * THOUSAND
