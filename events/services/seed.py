from datetime import date, time
from pathlib import Path

from django.db import transaction

from events.models import Fair, FairSeries, GroupSeat, Meeting, Partner, ProgrammeItem, Project
from portal.seeding import SeedReport, read_seed_file, upsert

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "arrangementer.json"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def load(path: Path = SEED_FILE) -> SeedReport:
    data = read_seed_file(path)
    report = SeedReport()
    _load_fairs(report, data["fair_series"])
    _load_project(report, data["project"])
    return report


def _load_fairs(report: SeedReport, data: dict) -> None:
    values = {k: v for k, v in data.items() if k not in ("title", "fairs", "programme")}
    values["registration_deadline"] = _date(values["registration_deadline"])
    series = upsert(report, FairSeries, {"title": data["title"]}, values)
    for fair in data["fairs"]:
        upsert(report, Fair, {"series": series, "venue": fair["venue"], "date": _date(fair["date"])}, {})
    for item in data["programme"]:
        upsert(
            report,
            ProgrammeItem,
            {"series": series, "starts_at": time.fromisoformat(item["starts_at"])},
            {"ends_at": time.fromisoformat(item["ends_at"]), "text": item["text"], "condition": item["condition"]},
        )


def _load_project(report: SeedReport, data: dict) -> None:
    values = {k: data[k] for k in ("funding", "description", "target_participants", "duration_months", "partners_expected")}
    project = upsert(report, Project, {"title": data["title"]}, values)
    for name in data["partners"]:
        upsert(report, Partner, {"project": project, "name": name}, {})
    for position, seat in enumerate(data["seats"], start=1):
        upsert(
            report,
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
        upsert(report, Meeting, {"project": project, "date": _date(meeting["date"])}, {"description": meeting["description"]})
