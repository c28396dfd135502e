"""Which indicators are local, who owns them, and what a data owner may see.

A local indicator is one with no active ExtractMapping (plans.imports.routes: LOCAL, or NONE for a
jobindsats goal without a route): nothing brings its figures but a person.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from plans.collection.models import DataOwner
from plans.imports.models import ExtractMapping
from plans.models import Goal, Indicator, Plan
from portal.roles import DATA_OWNER_GROUP, Role, has_role, is_data_owner


def local_indicators(plan: Plan) -> QuerySet[Indicator]:
    """The plan's indicators without an active route, with their goal and owner (one query)."""
    routed = ExtractMapping.objects.filter(indicator=OuterRef("pk"), active=True)
    return (
        Indicator.objects.filter(goal__plan=plan)
        .exclude(Exists(routed))
        .select_related("goal", "data_owner__user")
        .order_by("goal__major", "goal__minor", "position")
    )


def candidates() -> QuerySet[User]:
    """Who can be made an indicator's data owner: active users with the Dataansvarlig group or the administrator role."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=DATA_OWNER_GROUP) | Q(groups__name=Role.ADMINISTRATOR.group_name))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def assign(owners: dict[int, User | None]) -> int:
    """Set each indicator's data owner ({indicator id: user, or None to remove}); returns how many changed."""
    current = {o.indicator_id: o for o in DataOwner.objects.select_for_update().filter(indicator_id__in=list(owners))}
    changed = 0
    for indicator_id, user in owners.items():
        found = current.get(indicator_id)
        if user is None:
            if found is not None:
                found.delete()  # one by one: the history keeps who owned it
                changed += 1
        elif found is None:
            DataOwner.objects.create(indicator_id=indicator_id, user=user)
            changed += 1
        elif found.user_id != user.pk:
            found.user = user
            found.save()
            changed += 1
    return changed


def may_see_goal(user, goal: Goal) -> bool:
    """Members see every goal; a data owner without a role only the goals of the indicators they own."""
    if has_role(user, Role.MEMBER):
        return True
    return DataOwner.objects.filter(user=user, indicator__goal=goal).exists()


def may_enter(user, owner_id: int | None) -> bool:
    """Administrators enter any figure; a data owner those of the indicators they own."""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return owner_id is not None and owner_id == user.pk and is_data_owner(user)
