"""Totals derived from the proposals' yearly figures; nothing here is stored."""

from dataclasses import dataclass
from decimal import Decimal

from investments.models import Strategy, YearlyFigure

THOUSAND = Decimal(1000)


@dataclass
class SummaryRow:
    label: str
    values: list[Decimal | None]  # one per strategy year; None where the document prints nothing


def summary_rows(strategy: Strategy) -> tuple[list[SummaryRow], SummaryRow]:
    """The document's "Samlet oversigt": net effect per proposal and year in 1.000 kr., and the total.

    A proposal's zero net (investment and savings cancel out) is left empty, as the document does.
    """
    years = strategy.years
    figures = YearlyFigure.objects.filter(proposal__strategy=strategy).select_related("proposal")
    net = {(f.proposal.number, f.year): f.net * THOUSAND for f in figures}
    rows = []
    for proposal in strategy.proposals.all():
        values = [net.get((proposal.number, year)) for year in years]
        rows.append(SummaryRow(f"Forslag {proposal.number}", [v if v else None for v in values]))
    totals = [sum((net.get((p.number, y), Decimal(0)) for p in strategy.proposals.all()), Decimal(0)) for y in years]
    return rows, SummaryRow("I alt mindre forsørgelse", totals)
