"""Plans' panel on the start page (registered with portal.registry.start_panel in PlansConfig.ready)."""

from datetime import date

from plans.models import Plan
from plans.services import status


def panel(request, today: date) -> dict:
    """The plan in force (a draft, next year's plan being written, is not shown), its goals at risk or
    not met, and how many goals have no data."""
    plan = Plan.objects.in_force(today)
    flagged, missing = status.attention(plan) if plan else ([], 0)
    return {"plan": plan, "flagged_goals": flagged, "goals_missing_data": missing}
