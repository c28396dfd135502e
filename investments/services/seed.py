from decimal import Decimal
from pathlib import Path

from django.db import transaction

from investments.models import Proposal, Strategy, YearlyFigure
from portal.seeding import SeedReport, read_seed_file, upsert

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "investeringsstrategi.json"


def _decimal(value: str | None) -> Decimal | None:
    # The seed file writes figures as strings so that they are exact ("-" in the document is null).
    return None if value is None else Decimal(value)


@transaction.atomic
def load(path: Path = SEED_FILE) -> SeedReport:
    data = read_seed_file(path)
    report = SeedReport()
    values = dict(data["strategy"])
    values["prudent_share"] = Decimal(values["prudent_share"])
    strategy = upsert(report, Strategy, {"title": values.pop("title")}, values)
    for item in data["proposals"]:
        proposal = upsert(
            report,
            Proposal,
            {"strategy": strategy, "number": item["number"]},
            {"title": item["title"], "description": item["description"]},
        )
        for year, figure in item["figures"].items():
            upsert(
                report,
                YearlyFigure,
                {"proposal": proposal, "year": int(year)},
                {
                    "investment": _decimal(figure["investment"]),
                    "savings": _decimal(figure["savings"]),
                    "printed_savings": figure.get("printed_savings", ""),
                    "data_note": figure.get("data_note", ""),
                },
            )
    return report
