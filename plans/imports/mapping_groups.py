"""The mapping list (plans.imports.views.mapping_list): the mappings grouped by the plan of their indicator."""

from dataclasses import dataclass
from datetime import date

from plans.core.models import Plan, plan_in_force
from plans.imports.models import ExtractMapping
from plans.services.plan_choice import plan_state, working_plans


@dataclass
class MappingGroup:
    plan: Plan
    state: str  # plan_state
    mappings: list


def groups(today: date, everything: bool = False) -> tuple[list[MappingGroup], int]:
    """The mappings by plan, newest plan first: the working plans' (or every plan's), and how many are left out.
    Three queries."""
    plans = list(Plan.objects.order_by("-year"))
    in_force = plan_in_force(plans, today)
    shown = plans if everything else working_plans(plans, today)
    by_plan = {plan.id: [] for plan in shown}
    mappings = ExtractMapping.objects.filter(indicator__goal__plan__in=shown).select_related("indicator__goal")
    for mapping in mappings.order_by("indicator__goal__major", "indicator__goal__minor", "indicator__position", "pk"):
        by_plan[mapping.indicator.goal.plan_id].append(mapping)
    left_out = 0 if everything else ExtractMapping.objects.exclude(indicator__goal__plan__in=shown).count()
    return [MappingGroup(plan, plan_state(plan, in_force), by_plan[plan.id]) for plan in shown], left_out
