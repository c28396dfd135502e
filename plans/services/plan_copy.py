"""Next year's plan from the current one: an administrator copies it, then edits the draft.

Everything the plan says is copied: the minister goals, the goals with their texts and owners, the
indicators with their target rules, and the indicators' mappings (so new imports feed the new
indicators too). Each new goal and indicator names its original as predecessor, so its series runs
on through last year's figures (plans.services.lineage): nothing is re-imported. The copy is a
draft until an administrator adopts it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plans.models import ExtractMapping, Goal, Indicator, MinisterGoal, Plan
from plans.services import status

GOAL_FIELDS = (
    "major",
    "minor",
    "kind",
    "title",
    "metric",
    "target_text",
    "follow_up_text",
    "source",
    "frequency",
    "owner",
)
MAPPING_FIELDS = (
    "table",
    "measure",
    "filters",
    "denominator_table",
    "denominator_measure",
    "denominator_filters",
    "denominator_adds_numerator",
    "comparison_measure",
    "comparison_area",
    "confidence",
    "note",
    "active",
)


def default_title(year: int) -> str:
    return _("Beskæftigelsesplan %(year)s") % {"year": year}


def new_indicator(goal: Goal, source: Indicator | None = None, **values) -> Indicator:
    """An indicator for `goal`, a copy of `source` (its successor) when given."""
    if source is not None:
        values = {**{name: getattr(source, name) for name in Indicator.COPIED_FIELDS}, **values}
        values.update(predecessor=source, predecessor_ids=[source.id, *source.predecessor_ids])
    return Indicator(goal=goal, **values)


def copy_mappings(pairs: list[tuple[Indicator, Indicator]]) -> int:
    """Each (old, new) indicator pair: the old one's mappings, for the new one. Returns how many."""
    by_old = {old.id: new for old, new in pairs}
    copies = [
        ExtractMapping(indicator=by_old[m.indicator_id], **{name: getattr(m, name) for name in MAPPING_FIELDS})
        for m in ExtractMapping.objects.filter(indicator_id__in=list(by_old)).order_by("pk")
    ]
    ExtractMapping.objects.bulk_create(copies)
    return len(copies)


@transaction.atomic
def copy_plan(source: Plan, year: int, title: str = "") -> Plan:
    """A draft plan for `year`, copied from `source`. Refused (ValidationError) when the year has a plan."""
    taken = ValidationError(_("Der findes allerede en plan for %(year)s.") % {"year": year})
    if Plan.objects.filter(year=year).exists():
        raise taken
    try:
        with transaction.atomic():  # a simultaneous copy for the same year may have won since the check
            plan = Plan.objects.create(year=year, title=title or default_title(year))
    except IntegrityError:
        raise taken from None
    minister_goals = {}
    for old in source.minister_goals.all():
        minister_goals[old.id] = MinisterGoal.objects.create(
            plan=plan, number=old.number, title=old.title, description=old.description
        )
    pairs = []
    for old_goal in source.goals.prefetch_related("indicators"):
        goal = Goal.objects.create(
            plan=plan,
            predecessor=old_goal,
            minister_goal=minister_goals.get(old_goal.minister_goal_id),
            **{name: getattr(old_goal, name) for name in GOAL_FIELDS},
        )
        for old in old_goal.indicators.all():
            indicator = new_indicator(goal, old)
            indicator.save()
            pairs.append((old, indicator))
    copy_mappings(pairs)
    # The new indicators' statuses from their predecessors' figures (their series run on through them).
    status.refresh([new.id for _old, new in pairs])
    return plan


def adopt(plan: Plan, adopted_on, decision_reference: str, note: str | None = None) -> Plan:
    plan.is_adopted, plan.adopted_on, plan.decision_reference = True, adopted_on, decision_reference
    fields = ["is_adopted", "adopted_on", "decision_reference"]
    if note is not None:
        plan.note = note
        fields.append("note")
    plan.save(update_fields=fields)
    return plan
