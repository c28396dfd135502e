from datetime import date, time
from pathlib import Path

from django.db import transaction

from events.models import Fair, FairSeries, GroupSeat, Meeting, Partner, ProgrammeItem, Project
from portal.seeding import Seeder, read_seed_file

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "arrangementer.json"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def load(seeder: Seeder, path: Path = SEED_FILE) -> None:
    data = read_seed_file(path)
    _load_fairs(seeder, data["fair_series"])
    _load_project(seeder, data["project"])


def _load_fairs(seeder: Seeder, data: dict) -> None:
    values = {k: v for k, v in data.items() if k not in ("title", "fairs", "programme")}
    values["registration_deadline"] = _date(values["registration_deadline"])
    series = seeder.upsert(FairSeries, {"title": data["title"]}, values)
    for fair in data["fairs"]:
        seeder.upsert(Fair, {"series": series, "venue": fair["venue"], "date": _date(fair["date"])}, {})
    for item in data["programme"]:
        seeder.upsert(ProgrammeItem,
            {"series": series, "starts_at": time.fromisoformat(item["starts_at"])},
            {"ends_at": time.fromisoformat(item["ends_at"]), "text": item["text"], "condition": item["condition"]},
        )


def _load_project(seeder: Seeder, data: dict) -> None:
    values = {k: data[k] for k in ("funding", "description", "target_participants", "duration_months", "partners_expected")}
    project = seeder.upsert(Project, {"title": data["title"]}, values)
    for name in data["partners"]:
        seeder.upsert(Partner, {"project": project, "name": name}, {})
    for position, seat in enumerate(data["seats"], start=1):
        seeder.upsert(GroupSeat,
            {"project": project, "title": seat["title"]},
            {
                "position": position,
                "holder": seat.get("holder", ""),
                "appointed_by": seat.get("appointed_by", ""),
                "appointed_on": _date(seat.get("appointed_on")),
                "decision": seat.get("decision", ""),
            },
        )
    for meeting in data["meetings"]:
        seeder.upsert(Meeting, {"project": project, "date": _date(meeting["date"])}, {"description": meeting["description"]})
