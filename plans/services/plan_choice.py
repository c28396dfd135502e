"""Which plan a page shows: the adopted plan in force, or an earlier one chosen with ?plan=<year>.

Members and caseworkers see adopted plans only; administrators also see drafts. An earlier plan (one
whose year has ended and that is no longer in force) is shown with its statuses as they stood at the
end of its year: evaluated on the figures up to 31 December (plans.services.dashboard.half_year_report).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from plans.core.models import Plan, plan_in_force
from portal.periods import Period, parse_period
from portal.roles import Role, has_role


@dataclass
class Choice:
    plan: Plan | None
    plans: list[Plan]  # the plans the user may open, newest first (the plan switcher)
    in_force: Plan | None
    today: date
    is_admin: bool = False

    @property
    def is_earlier(self) -> bool:
        """An earlier plan: not the one in force, and its year has ended."""
        return bool(self.plan and self.plan != self.in_force and self.plan.year < self.today.year)

    @property
    def end_half(self) -> Period | None:
        return parse_period(f"{self.plan.year}H2") if self.plan else None


def visible_plans(user):
    plans = Plan.objects.order_by("-year")
    return (
        plans if has_role(user, Role.ADMINISTRATOR) else plans.filter(is_adopted=True)
    )  # the role is cached on the user


def choose(request, today: date) -> Choice:
    """The plan for this request, in two queries (the plans, the chosen plan's minister goals)."""
    plans = list(visible_plans(request.user))
    current = plan_in_force(plans, today)
    wanted = request.GET.get("plan", "")
    plan = next((p for p in plans if str(p.year) == wanted), None) if wanted.isdigit() else None
    plan = plan or current
    if plan is None and plans:  # an administrator before any plan is adopted
        plan = plans[0]
    if plan is not None:
        prefetch_related_objects([plan], "minister_goals")
    return Choice(plan, plans, current, today, has_role(request.user, Role.ADMINISTRATOR))


def working_plans(plans, today: date) -> list[Plan]:
    """The plans whose indicators administrators map figures to, newest first: the plan in force and every newer
    or not yet adopted plan. An older plan's indicators keep their mappings and figures, and the plan in force
    reads them through its indicators' predecessors (plans.services.lineage)."""
    current = plan_in_force(plans, today)
    return sorted(
        (p for p in plans if current is None or not p.is_adopted or p.year >= current.year),
        key=lambda p: p.year,
        reverse=True,
    )


def plan_state(plan: Plan, in_force: Plan | None) -> str:
    """How a plan stands, as the administrators' lists name it."""
    if not plan.is_adopted:
        return _("kladde")
    if plan == in_force:
        return _("gælder nu")
    if in_force is not None and plan.year > in_force.year:
        return _("vedtaget, gælder fra %(year)s") % {"year": plan.year}
    return _("tidligere plan")
