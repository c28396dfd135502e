from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from plans.collection.services import ownership
from plans.filters import GoalFilter, goal_owners
from plans.forms import CommentForm, GoalOwnerForm, IndicatorRuleForm, ObservationForm, ReportForm, half_year_choices
from plans.models import Goal, Indicator
from plans.services import charts, dashboard, goal_page, observations, plan_choice, report, report_pdf, status
from plans.tables import ObservationTable
from portal import registry
from portal.forms import error_text
from portal.pdf import PdfUnavailable
from portal.periods import parse_period
from portal.roles import Role, has_role, role_or_data_owner_required, role_required
from portal.tables import EXPORT_FORMATS


@role_required(Role.MEMBER)
def goal_list(request):
    choice = plan_choice.choose(request, timezone.localdate())
    if choice.plan is None:
        return render(request, "plans/goal_list.html", {"plan": None})
    filterset = GoalFilter(request.GET, queryset=status.goals_with_status(choice.plan))
    return render(
        request,
        "plans/goal_list.html",
        {
            "plan": choice.plan,
            "filter": filterset,
            "sections": dashboard.filtered_overview(choice, filterset),
            "plan_choice": choice,
        },
    )


def _goal(year, major, minor):
    return get_object_or_404(
        Goal.objects.select_related("plan", "minister_goal", "predecessor__plan"),
        plan__year=year,
        major=major,
        minor=minor,
    )


@role_or_data_owner_required(Role.MEMBER)
def goal_detail(request, year, major, minor):
    goal = _goal(year, major, minor)
    if not ownership.may_see_goal(request.user, goal):  # a data owner sees only their indicators' goals
        raise PermissionDenied
    is_admin = has_role(request.user, Role.ADMINISTRATOR)
    if not goal.plan.is_adopted and not is_admin:  # a draft plan is for administrators only
        raise Http404
    today = timezone.localdate()
    page = goal_page.goal_page(goal, today)
    blocks = []
    for block in page.blocks:
        indicator = block.indicator
        exporting = request.GET.get("eksport") in EXPORT_FORMATS and request.GET.get("indikator") == str(indicator.id)
        table = ObservationTable(
            block.rows() if exporting else block.rows(newest=goal_page.TABLE_PERIODS),
            decimals=indicator.decimals,
            comparison_label=indicator.comparison_label,
            suffix=charts.unit_of(indicator).suffix,
            caption=f"{goal.code} {indicator.name}",
            prefix=f"i{indicator.position}-",
        )
        # Two years of monthly figures per page; the CSV/XLSX export always holds the whole series.
        RequestConfig(request, paginate={"per_page": 24}).configure(table)
        if exporting:
            return table.export(request.GET["eksport"], block.export_name)
        blocks.append(
            {
                "indicator": indicator,
                "table": table,
                "figure": block.figure,
                "figure_id": block.figure_id,
                "observation_form": ObservationForm(indicator=indicator, prefix=f"obs{indicator.id}")
                if is_admin
                else None,
                "route": block.route,
                "latest": block.latest,
                "stale": block.stale,
                "missing_reason": block.missing_reason,
                "periods_not_in_table": block.periods_not_in_table,
            }
        )
    return render(
        request,
        "plans/goal_detail.html",
        {
            "goal": goal,
            "is_admin": is_admin,
            "template_url": f"{reverse('imports:template')}?maal={goal.code}",
            "blocks": blocks,
            "table_periods": goal_page.TABLE_PERIODS,
            "comments": goal.comments.select_related("author"),
            "status_changes": page.status_changes,
            "comment_form": CommentForm(choices=half_year_choices(goal.plan.year, today)) if is_admin else None,
            "owner_form": GoalOwnerForm(instance=goal) if is_admin else None,
            "owners": goal_owners() if is_admin else [],
            # Other apps' pages about the goal (investments: the pool's grants that support it), one query each.
            "links": registry.links_for_goal(goal.plan.year, goal.code),
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def comment_add(request, year, major, minor):
    goal = _goal(year, major, minor)
    form = CommentForm(request.POST, choices=half_year_choices(goal.plan.year, timezone.localdate()))
    if form.is_valid():
        comment = form.save(commit=False)
        comment.goal, comment.author = goal, request.user
        comment.save()
        messages.success(request, _("Bemærkningen er gemt."))
    else:
        messages.error(request, _("Bemærkningen blev ikke gemt: %(errors)s") % {"errors": error_text(form)})
    return redirect(goal_url(goal) + "#bemaerkninger")


@require_POST
@role_required(Role.ADMINISTRATOR)
def goal_owner(request, year, major, minor):
    goal = _goal(year, major, minor)
    form = GoalOwnerForm(request.POST, instance=goal)
    if form.is_valid():
        form.save()
        messages.success(request, _("Den ansvarlige for målet er gemt."))
    else:
        messages.error(request, _("Den ansvarlige blev ikke gemt: %(errors)s") % {"errors": error_text(form)})
    return redirect(goal_url(goal) + "#ansvarlig")


@require_POST
@role_required(Role.ADMINISTRATOR)
def observation_add(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__plan"), pk=pk)
    form = ObservationForm(request.POST, indicator=indicator, prefix=f"obs{indicator.id}")
    if form.is_valid():
        observations.save_by_hand(form.instance, request.user)
        messages.success(
            request,
            _("Tallet for %(period)s er gemt, og status er opdateret.") % {"period": form.instance.period.label},
        )
    else:
        messages.error(request, _("Tallet blev ikke gemt: %(errors)s") % {"errors": error_text(form)})
    return redirect(goal_url(indicator.goal) + f"#indikator-{indicator.id}")


@role_required(Role.ADMINISTRATOR)
def indicator_rule(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__plan"), pk=pk)
    form = IndicatorRuleForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        status.refresh([indicator.id])
        messages.success(request, _("Målreglen er gemt, og status er opdateret."))
        return redirect(goal_url(indicator.goal) + f"#indikator-{indicator.id}")
    return render(request, "plans/indicator_rule.html", {"indicator": indicator, "form": form})


def goal_url(goal):
    return reverse("plans:goal_detail", args=[goal.plan.year, goal.major, goal.minor])


@role_required(Role.MEMBER)
def half_year_report(request):
    plan = plan_choice.choose(request, timezone.localdate()).plan
    halves = report.half_years(plan) if plan else []
    choices = [(h.code, h.label) for h in halves]  # made once: each label is translated as it is made
    form = ReportForm(request.GET or None, choices=choices)
    half = (
        parse_period(form.cleaned_data["halvaar"])
        if form.is_valid()
        else report.default_half_year(halves, timezone.localdate())
    )
    sections = dashboard.half_year_report(plan, half, timezone.localdate()) if half else []
    if request.GET.get("eksport") == "xlsx" and half:
        return report.xlsx(half, sections)
    if request.GET.get("eksport") == "pdf" and half:
        try:
            pdf = report_pdf.render(plan, half, sections, timezone.localdate())
        except PdfUnavailable:
            messages.error(
                request,
                _(
                    "PDF-udgaven kan ikke laves på denne server, fordi WeasyPrint eller dets "
                    "systembiblioteker (Pango) ikke er installeret. Brug udskriften eller XLSX-filen."
                ),
            )
            return redirect(f"{reverse('plans:report')}?halvaar={half.code}")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report_pdf.filename(half)}"'
        return response
    if not form.is_bound and half:
        form = ReportForm(initial={"halvaar": half.code}, choices=choices)
    return render(request, "plans/report.html", {"plan": plan, "form": form, "half": half, "sections": sections})
