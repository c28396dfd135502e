from decimal import Decimal
from pathlib import Path

from plans.models import (
    BenchmarkPeriod,
    BenchmarkResult,
    ExtractMapping,
    Goal,
    Indicator,
    MinisterGoal,
    Observation,
    Plan,
)
from plans.services import status
from portal.periods import parse_period
from portal.seeding import Seeder, read_seed_file

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "beskaeftigelsesplan_2024.json"
GOAL_FIELDS = ("kind", "title", "metric", "target_text", "follow_up_text", "source", "frequency")
INDICATOR_FIELDS = (
    "name",
    "unit",
    "rule",
    "comparison_label",
    "rule_note",
    "strict",
    "higher_is_better",
    "target_year",
    "window_months",
    "local_instruction",
)
DECIMAL_FIELDS = ("threshold", "tolerance", "risk_margin")
MAPPING_FIELDS = {
    "filters": {},
    "denominator_table": "",
    "denominator_measure": "",
    "denominator_filters": {},
    "denominator_adds_numerator": False,
    "comparison_measure": "",
    "comparison_area": "",
    "confidence": "bekraeftet",
    "note": "",
    "source_text": "",
}


def load(seeder: Seeder, path: Path = SEED_FILE) -> None:
    data = read_seed_file(path)
    plan = seeder.upsert(
        Plan,
        {"year": data["plan"]["year"]},
        {
            "title": data["plan"]["title"],
            "is_adopted": data["plan"].get("adopted", False),
            "note": data["plan"].get("note", ""),
        },
    )
    minister_goals = {}
    for item in data["minister_goals"]:
        minister_goals[item["number"]] = seeder.upsert(
            MinisterGoal,
            {"plan": plan, "number": item["number"]},
            {"title": item["title"], "description": item["description"]},
        )
    goals = {}
    for item in data["goals"]:
        major, minor = (int(part) for part in item["code"].split("."))
        values = {key: item[key] for key in GOAL_FIELDS}
        values["minister_goal"] = minister_goals[item["minister_goal"]] if item["minister_goal"] else None
        goal = goals[item["code"]] = seeder.upsert(Goal, {"plan": plan, "major": major, "minor": minor}, values)
        for position, indicator in enumerate(item["indicators"], start=1):
            _load_indicator(seeder, goal, position, indicator)

    for item in data["observations"]:
        period = parse_period(item["period"])
        indicator = Indicator.objects.get(goal=goals[item["goal"]], position=item["indicator"])
        seeder.upsert(
            Observation,
            {"indicator": indicator, "area": item["area"], "period_code": period.code},
            {
                "period_start": period.start,
                "period_end": period.end,
                "value": Decimal(item["value"]),
                "comparison": Decimal(item["comparison"]) if item.get("comparison") else None,
                "source_note": item["source_note"],
            },
        )

    seeded = set()
    for item in data["mappings"]:
        indicator = Indicator.objects.get(goal=goals[item["goal"]], position=item["indicator"])
        values = {key: item.get(key, default) for key, default in MAPPING_FIELDS.items()}
        mapping = seeder.upsert(
            ExtractMapping, {"indicator": indicator, "table": item["table"], "measure": item["measure"]}, values
        )
        seeded.add(mapping.pk)
    _retire_removed_mappings(seeder, plan, seeded)

    bench = data["benchmark"]
    period = seeder.upsert(BenchmarkPeriod, {"code": bench["code"]}, {"label": bench["label"], "note": bench["note"]})
    for position, row in enumerate(bench["results"], start=1):
        values = {key: row[key] for key in ("description", "expected", "actual", "rank")}
        seeder.upsert(
            BenchmarkResult, {"period": period, "benefit_group": row["benefit_group"]}, {"position": position, **values}
        )
    status.refresh(Indicator.objects.filter(goal__plan=plan, evaluated_at__isnull=True).values_list("id", flat=True))


def _retire_removed_mappings(seeder: Seeder, plan: Plan, seeded: set[int]) -> None:
    """Deactivate the seed's own mappings (confirmed or inferred) that the seed file no longer lists.

    A route is removed from the seed because it is wrong (2.2's Y07A07), so this happens without
    `overwrite`; mappings an administrator made are left alone. Deactivated, not deleted: their
    history and waiting ratio parts stay.
    """
    removed = ExtractMapping.objects.filter(
        indicator__goal__plan=plan,
        active=True,
        confidence__in=(ExtractMapping.Confidence.CONFIRMED, ExtractMapping.Confidence.INFERRED),
    ).exclude(pk__in=seeded)
    for mapping in removed:
        mapping.active = False
        mapping.save(update_fields=["active"])  # save(), not update(): the change is kept in its history
        seeder.updated += 1


def _load_indicator(seeder: Seeder, goal: Goal, position: int, item: dict) -> None:
    values = {key: item.get(key) for key in INDICATOR_FIELDS}
    values.update({key: Decimal(item[key]) if item.get(key) is not None else None for key in DECIMAL_FIELDS})
    values["risk_margin"] = values["risk_margin"] or Decimal(0)
    values["strict"] = bool(values["strict"])
    values["higher_is_better"] = values["higher_is_better"] is not False
    values["comparison_label"] = values["comparison_label"] or ""
    values["rule_note"] = values["rule_note"] or ""
    values["local_instruction"] = values["local_instruction"] or ""
    seeder.upsert(Indicator, {"goal": goal, "position": position}, values)
