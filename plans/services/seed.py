from pathlib import Path

from django.db import transaction

from plans.models import BenchmarkPeriod, BenchmarkResult, Goal, MinisterGoal, Plan
from portal.seeding import SeedReport, read_seed_file, upsert

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "beskaeftigelsesplan_2024.json"


@transaction.atomic
def load(path: Path = SEED_FILE) -> SeedReport:
    data = read_seed_file(path)
    report = SeedReport()
    plan = upsert(report, Plan, {"year": data["plan"]["year"]}, {"title": data["plan"]["title"]})
    minister_goals = {}
    for item in data["minister_goals"]:
        minister_goals[item["number"]] = upsert(
            report,
            MinisterGoal,
            {"plan": plan, "number": item["number"]},
            {"title": item["title"], "description": item["description"]},
        )
    for item in data["goals"]:
        major, minor = (int(part) for part in item["code"].split("."))
        values = {key: item[key] for key in ("kind", "title", "metric", "target_text", "follow_up_text", "source", "frequency")}
        values["minister_goal"] = minister_goals[item["minister_goal"]] if item["minister_goal"] else None
        upsert(report, Goal, {"plan": plan, "major": major, "minor": minor}, values)

    bench = data["benchmark"]
    period = upsert(report, BenchmarkPeriod, {"code": bench["code"]}, {"label": bench["label"], "note": bench["note"]})
    for position, row in enumerate(bench["results"], start=1):
        values = {key: row[key] for key in ("description", "expected", "actual", "rank")}
        upsert(report, BenchmarkResult, {"period": period, "benefit_group": row["benefit_group"]}, {"position": position, **values})
    return report
