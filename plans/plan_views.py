"""The administrators' plan pages: the plans, next year's plan copied from this year's, its goals and
indicators edited through forms, adoption, and a plan as an XLSX template and back.

Every view checks the administrator role itself (portal.roles.role_required). A plan's goals are
added, edited and removed while it is a draft; an adopted plan's target rules are still edited on
the goal page (plans.views.indicator_rule).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.models import Goal, Plan
from plans.plan_forms import AdoptForm, GoalForm, IndicatorFormSet, NewPlanForm, PlanImportForm
from plans.services import plan_copy, plan_xlsx, status
from portal.forms import error_text
from portal.roles import Role, role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(year) -> Plan:
    return get_object_or_404(Plan, year=year)


@role_required(Role.ADMINISTRATOR)
def plan_list(request):
    plans = list(Plan.objects.annotate(goal_count=Count("goals")).order_by("-year"))
    newest = plans[0] if plans else None
    form = NewPlanForm(initial={"source": newest, "year": newest.year + 1 if newest else timezone.localdate().year})
    return render(request, "plans/plans/plan_list.html", {"plans": plans, "form": form, "newest": newest})


@require_POST
@role_required(Role.ADMINISTRATOR)
def plan_new(request):
    form = NewPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Planen blev ikke oprettet: %(errors)s") % {"errors": error_text(form)})
        return redirect("plans:plan_list")
    try:
        plan = plan_copy.copy_plan(form.cleaned_data["source"], form.cleaned_data["year"], form.cleaned_data["title"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:plan_list")
    messages.success(
        request,
        _(
            "%(plan)s er oprettet som kladde ud fra %(source)s. Ret målene, og vedtag planen, når udvalget har vedtaget den."
        )
        % {"plan": plan.title, "source": form.cleaned_data["source"].title},
    )
    return redirect("plans:plan_detail", plan.year)


@role_required(Role.ADMINISTRATOR)
def plan_detail(request, year):
    plan = _plan(year)
    goals = (
        plan.goals.select_related("minister_goal", "predecessor__plan")
        .prefetch_related("indicators")
        .order_by("major", "minor")
    )
    return render(
        request,
        "plans/plans/plan_detail.html",
        {
            "plan": plan,
            "goals": goals,
            "adopt_form": AdoptForm(instance=plan) if not plan.is_adopted else None,
        },
    )


@role_required(Role.ADMINISTRATOR)
def plan_adopt(request, year):
    plan = _plan(year)
    form = AdoptForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_copy.adopt(
            plan, form.cleaned_data["adopted_on"], form.cleaned_data["decision_reference"], form.cleaned_data["note"]
        )
        messages.success(request, _adopted_message(plan, Plan.objects.in_force(timezone.localdate())))
        return redirect("plans:plan_detail", plan.year)
    return render(request, "plans/plans/plan_adopt.html", {"plan": plan, "form": form})


def _adopted_message(plan: Plan, in_force: Plan) -> str:
    """What members see now: the plan in force (plans.models.plan_in_force), which a plan for a coming year
    becomes only when its year begins, and an older plan never."""
    values = {"plan": plan.title, "year": plan.year, "current": in_force.title}
    if in_force == plan:
        return _("%(plan)s er vedtaget og vises nu for udvalget.") % values
    if plan.year > in_force.year:
        return _("%(plan)s er vedtaget. Udvalget ser den fra 1. januar %(year)s; indtil da vises %(current)s.") % values
    return _("%(plan)s er vedtaget. Udvalget ser fortsat %(current)s, som er nyere.") % values


def _draft_only(request, plan):
    if plan.is_adopted:
        messages.error(
            request,
            _(
                "%(plan)s er vedtaget; dens mål kan ikke længere tilføjes, ændres eller fjernes her. "
                "Målreglerne rettes på målets side."
            )
            % {"plan": plan.title},
        )
        return redirect("plans:plan_detail", plan.year)
    return None


@role_required(Role.ADMINISTRATOR)
def goal_edit(request, year, pk=None):
    plan = _plan(year)
    if refused := _draft_only(request, plan):
        return refused
    goal = get_object_or_404(Goal, plan=plan, pk=pk) if pk else None
    if goal is None and request.method != "POST":
        last = plan.goals.aggregate(major=Max("major"))["major"]
        initial = {"major": last or 1, "minor": (plan.goals.filter(major=last).aggregate(m=Max("minor"))["m"] or 0) + 1}
    else:
        initial = None
    form = GoalForm(request.POST or None, instance=goal, plan=plan, initial=initial)
    formset = IndicatorFormSet(request.POST or None, instance=goal or Goal(plan=plan), prefix="indikator")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            goal = form.save()
            formset.instance = goal
            indicators = formset.save(commit=False)
            for removed in formset.deleted_objects:
                removed.delete()
            taken = set(
                goal.indicators.exclude(pk__in=[i.pk for i in indicators if i.pk]).values_list("position", flat=True)
            )
            for indicator in indicators:
                if indicator.pk is None:
                    indicator.position = max(taken, default=0) + 1
                taken.add(indicator.position)
                indicator.save()
        status.refresh(list(goal.indicators.values_list("id", flat=True)))
        messages.success(request, _("Mål %(code)s er gemt.") % {"code": goal.code})
        return redirect("plans:plan_detail", plan.year)
    return render(request, "plans/plans/goal_form.html", {"plan": plan, "goal": goal, "form": form, "formset": formset})


@require_POST
@role_required(Role.ADMINISTRATOR)
def goal_delete(request, year, pk):
    plan = _plan(year)
    if refused := _draft_only(request, plan):
        return refused
    goal = get_object_or_404(Goal, plan=plan, pk=pk)
    if request.POST.get("bekraeft") != "ja":
        return render(request, "plans/plans/goal_delete.html", {"plan": plan, "goal": goal})
    goal.delete()
    messages.success(request, _("Mål %(code)s er fjernet fra %(plan)s.") % {"code": goal.code, "plan": plan.title})
    return redirect("plans:plan_detail", plan.year)


@role_required(Role.ADMINISTRATOR)
def plan_template(request, year):
    plan = get_object_or_404(Plan.objects.prefetch_related("minister_goals"), year=year)
    response = HttpResponse(plan_xlsx.build(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="beskaeftigelsesplan-{plan.year}-skabelon.xlsx"'
    return response


@role_required(Role.ADMINISTRATOR)
def plan_import(request):
    newest = Plan.objects.order_by("-year").first()
    form = PlanImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": newest.year + 1 if newest else timezone.localdate().year},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            with transaction.atomic():  # a simultaneous import or copy for the same year may win the race
                plan = plan_xlsx.import_plan(
                    form.cleaned_data["file"].read(), year, form.cleaned_data["title"] or plan_copy.default_title(year)
                )
        except plan_xlsx.PlanImportError as error:
            errors = error.messages
        except IntegrityError:
            errors = [_("Der findes allerede en plan for %(year)s.") % {"year": year}]
        else:
            messages.success(request, _("%(plan)s er indlæst som kladde.") % {"plan": plan.title})
            return redirect("plans:plan_detail", plan.year)
    return render(request, "plans/plans/plan_import.html", {"form": form, "errors": errors, "newest": newest})
