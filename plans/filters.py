import django_filters
from django.utils.translation import gettext_lazy as _

from plans.evaluation import Status
from plans.models import Goal

NO_OWNER = "-"  # the owner filter's value for goals without a responsible unit or person


def goal_owners() -> list[str]:
    """The responsible units and persons in use, in alphabetical order (one query)."""
    return list(Goal.objects.exclude(owner="").order_by("owner").values_list("owner", flat=True).distinct())


def _owner_choices():
    return [(owner, owner) for owner in goal_owners()] + [(NO_OWNER, _("Ingen ansvarlig angivet"))]


class GoalFilter(django_filters.FilterSet):
    # `status` is the annotation from plans.services.status.goals_with_status.
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("Alle"))
    source = django_filters.ChoiceFilter(choices=Goal.Source.choices, label=_("Datakilde"), empty_label=_("Alle"))
    frequency = django_filters.ChoiceFilter(
        choices=Goal.Frequency.choices, label=_("Opfølgning"), empty_label=_("Alle")
    )
    owner = django_filters.ChoiceFilter(
        choices=_owner_choices, label=_("Ansvarlig"), empty_label=_("Alle"), method="filter_owner"
    )

    class Meta:
        model = Goal
        fields = ["status", "source", "frequency", "owner"]

    def filter_owner(self, queryset, name, value):
        return queryset.filter(owner="" if value == NO_OWNER else value)
