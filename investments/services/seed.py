from decimal import Decimal
from pathlib import Path

from django.db import transaction

from investments.models import Proposal, Strategy, YearlyFigure
from portal.seeding import Seeder, read_seed_file

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "investeringsstrategi.json"


def _decimal(value: str | None) -> Decimal | None:
    # The seed file writes figures as strings so that they are exact ("-" in the document is null).
    return None if value is None else Decimal(value)


@transaction.atomic
def load(seeder: Seeder, path: Path = SEED_FILE) -> None:
    data = read_seed_file(path)
    values = dict(data["strategy"])
    values["prudent_share"] = Decimal(values["prudent_share"])
    strategy = seeder.upsert(Strategy, {"title": values.pop("title")}, values)
    for item in data["proposals"]:
        proposal = seeder.upsert(
            Proposal,
            {"strategy": strategy, "number": item["number"]},
            {"title": item["title"], "description": item["description"]},
        )
        for year, figure in item["figures"].items():
            seeder.upsert(
                YearlyFigure,
                {"proposal": proposal, "year": int(year)},
                {
                    "investment": _decimal(figure["investment"]),
                    "savings": _decimal(figure["savings"]),
                    "printed_savings": figure.get("printed_savings", ""),
                    "data_note": figure.get("data_note", ""),
                },
            )
