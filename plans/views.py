from django.shortcuts import get_object_or_404, render

from plans.models import Goal, Plan
from portal.roles import Role, role_required


@role_required(Role.MEMBER)
def goal_list(request):
    plan = Plan.objects.prefetch_related("minister_goals").first()
    goals = list(Goal.objects.filter(plan=plan).select_related("minister_goal")) if plan else []
    groups = [(None, [g for g in goals if g.minister_goal_id is None])]
    if plan:
        groups += [(mg, [g for g in goals if g.minister_goal_id == mg.id]) for mg in plan.minister_goals.all()]
    return render(request, "plans/goal_list.html", {"plan": plan, "groups": groups})


@role_required(Role.MEMBER)
def goal_detail(request, year, major, minor):
    goal = get_object_or_404(Goal.objects.select_related("plan", "minister_goal"), plan__year=year, major=major, minor=minor)
    return render(request, "plans/goal_detail.html", {"goal": goal})
