"""Plans' lines of "Nyt siden sidst" (portal.digest), registered with portal.registry.digest_source and
report_ready in PlansConfig.ready.

Members read goals of adopted plans only; a draft's lines are for administrators. Figures are counted for
the portal's own area (the comparison municipalities' figures come with them and are no news to a member).
Who uploaded or typed a figure is never said; an import's file name and page are for administrators.
"""

from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import CollectionItem, DataImport, GoalComment, Observation, Plan, StatusChange
from plans.services import report
from portal.cache import remembered
from portal.periods import parse_period
from portal.registry import DigestLine
from portal.roles import Role

LIMIT = 200  # lines of one kind; a digest is read before a meeting, not a log
REMARK_LENGTH = 200


def _goal_url(year: int, major: int, minor: int) -> str:
    return reverse("plans:goal_detail", args=[year, major, minor])


def _reader(is_adopted: bool) -> Role:
    return Role.MEMBER if is_adopted else Role.ADMINISTRATOR


def status_lines(since: datetime) -> list[DigestLine]:
    """Each indicator's newest status change since `since` (one query)."""
    changes = (
        StatusChange.objects.filter(changed_at__gte=since)
        .select_related("indicator__goal__plan")
        .order_by("-changed_at", "-id")[:LIMIT]
    )
    seen, lines = set(), []
    for change in changes:
        if change.indicator_id in seen:
            continue
        seen.add(change.indicator_id)
        goal = change.indicator.goal
        text = _("%(goal)s: nu %(status)s") % {"goal": goal, "status": change.get_status_display()}
        if change.indicator.position > 1:  # a goal's second measure (6.1's job orders) is named
            text = f"{text} ({change.indicator.name})"
        lines.append(
            DigestLine(
                "status",
                text,
                _goal_url(goal.plan.year, goal.major, goal.minor),
                change.changed_at.date(),
                _reader(goal.plan.is_adopted),
            )
        )
    return lines


def _brought_by(source: str | None) -> str:
    if source is None:
        return _("indtastet")
    return _("fra %(source)s") % {"source": DataImport.Source(source).label}


def figure_lines(since: datetime) -> list[DigestLine]:
    """Per goal and way in (an upload, the Jobindsats API, typed in): how many of the area's figures are
    new or changed, up to which period's end (one query)."""
    rows = (
        Observation.objects.filter(updated_at__gte=since, area=settings.PORTAL_AREA)
        .values(
            "indicator__goal__plan__year",
            "indicator__goal__plan__is_adopted",
            "indicator__goal__major",
            "indicator__goal__minor",
            "indicator__goal__title",
            "data_import__source",
        )
        .annotate(n=Count("id"), newest=Max("period_end"), at=Max("updated_at"))
        .order_by("-at")[:LIMIT]
    )
    lines = []
    for row in rows:
        year, major, minor = (
            row["indicator__goal__plan__year"],
            row["indicator__goal__major"],
            row["indicator__goal__minor"],
        )
        text = ngettext(
            "%(code)s %(title)s: %(n)d nyt tal til og med %(end)s, %(how)s",
            "%(code)s %(title)s: %(n)d nye tal til og med %(end)s, %(how)s",
            row["n"],
        ) % {
            "code": f"{major}.{minor}",
            "title": row["indicator__goal__title"],
            "n": row["n"],
            "end": date_format(row["newest"], "DATE_FORMAT"),
            "how": _brought_by(row["data_import__source"]),
        }
        lines.append(
            DigestLine(
                "figures",
                text,
                _goal_url(year, major, minor),
                row["at"].date(),
                _reader(row["indicator__goal__plan__is_adopted"]),
            )
        )
    return lines


def import_lines(since: datetime) -> list[DigestLine]:
    """The imports finished since `since` that changed figures: administrators' lines (one query)."""
    imports = DataImport.objects.filter(
        finished_at__gte=since, state=DataImport.State.DONE, observations_changed__gt=0
    ).order_by("-finished_at")[:LIMIT]
    return [
        DigestLine(
            "import",
            ngettext(
                "%(name)s (%(source)s): %(n)d ændret tal",
                "%(name)s (%(source)s): %(n)d ændrede tal",
                record.observations_changed,
            )
            % {"name": record.original_name, "source": record.get_source_display(), "n": record.observations_changed},
            reverse("imports:detail", args=[record.pk]),
            record.finished_at.date(),
            Role.ADMINISTRATOR,
        )
        for record in imports
    ]


def remark_lines(since: datetime) -> list[DigestLine]:
    """The administration's remarks on goals written since `since`, without their author (one query)."""
    remarks = (
        GoalComment.objects.filter(created_at__gte=since)
        .select_related("goal__plan")
        .order_by("-created_at", "-id")[:LIMIT]
    )
    lines = []
    for remark in remarks:
        goal = remark.goal
        text = _("%(goal)s, %(period)s: %(text)s") % {
            "goal": goal,
            "period": remark.period.label,
            "text": Truncator(remark.text).chars(REMARK_LENGTH),
        }
        lines.append(
            DigestLine(
                "remark",
                text,
                _goal_url(goal.plan.year, goal.major, goal.minor),
                remark.created_at.date(),
                _reader(goal.plan.is_adopted),
            )
        )
    return lines


def collection_lines(today: date, until: date) -> list[DigestLine]:
    """The collection rounds' due dates between today and `until`: administrators' lines, as the round's
    page is theirs (one query)."""
    rows = (
        CollectionItem.objects.filter(due_on__gte=today, due_on__lte=until)
        .values("round_id", "round__period_code", "due_on")
        .annotate(n=Count("id"))
        .order_by("due_on", "round_id")
    )
    lines = []
    for row in rows:
        period = parse_period(row["round__period_code"])
        text = _("Frist for lokale tal, indsamling %(period)s: %(n)d tal") % {"period": period.label, "n": row["n"]}
        lines.append(DigestLine("deadline", text, reverse("collection:board"), row["due_on"], Role.ADMINISTRATOR))
    return lines


def lines(since: datetime, today: date, until: date) -> list[DigestLine]:
    """Everything plans has to say for "Nyt siden sidst" (five queries), kept until plans' data changes: the
    figures' count reads every observation changed since the date, and the start page is no cached page."""
    return remembered(
        f"plans-digest:{since.isoformat()}:{today}:{until}",
        lambda: [
            *status_lines(since),
            *figure_lines(since),
            *import_lines(since),
            *remark_lines(since),
            *collection_lines(today, until),
        ],
    )


def report_ready(today: date) -> tuple[str, str, str] | None:
    """The newest half-year report of the plan in force whose half-year has ended and has figures:
    (its code, its label, its page). Two queries. The label is made when the mail is rendered, in its
    reader's language: the job finds the report once, before it sends each subscriber's mail."""
    plan = Plan.objects.in_force(today)
    if plan is None:
        return None
    half = next((h for h in report.half_years(plan) if h.end < today), None)
    if half is None:
        return None
    return half.code, lazy(lambda: half.label, str)(), f"{reverse('plans:report')}?halvaar={half.code}"
