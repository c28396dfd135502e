"""The fair series, its fairs and programme from the seed file (events.services.seed reads the file)."""

from datetime import date, time

from events.fairs.models import Fair, FairSeries, ProgrammeItem
from portal.seeding import Seeder


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load(seeder: Seeder, data: dict) -> None:
    values = {k: v for k, v in data.items() if k not in ("title", "fairs", "programme")}
    values["registration_deadline"] = _date(values["registration_deadline"])
    series = seeder.upsert(FairSeries, {"title": data["title"]}, values)
    for fair in data["fairs"]:
        seeder.upsert(Fair, {"series": series, "venue": fair["venue"], "date": _date(fair["date"])}, {})
    for item in data["programme"]:
        seeder.upsert(
            ProgrammeItem,
            {"series": series, "starts_at": time.fromisoformat(item["starts_at"])},
            {"ends_at": time.fromisoformat(item["ends_at"]), "text": item["text"], "condition": item["condition"]},
        )
