"""The 50+ project, its partners, seats and meetings from the seed file (events.services.seed reads the file)."""

from datetime import date

from events.project.models import GroupSeat, Meeting, Partner, Project
from portal.seeding import Seeder


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load(seeder: Seeder, data: dict) -> None:
    values = {
        k: data[k] for k in ("funding", "description", "target_participants", "duration_months", "partners_expected")
    }
    project = seeder.upsert(Project, {"title": data["title"]}, values)
    for name in data["partners"]:
        seeder.upsert(Partner, {"project": project, "name": name}, {})
    for position, seat in enumerate(data["seats"], start=1):
        seeder.upsert(
            GroupSeat,
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
        seeder.upsert(
            Meeting, {"project": project, "date": _date(meeting["date"])}, {"description": meeting["description"]}
        )
