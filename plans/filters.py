import django_filters
from django.utils.translation import gettext_lazy as _

from plans.evaluation import Status
from plans.models import Goal


class GoalFilter(django_filters.FilterSet):
    # `status` is the annotation from plans.services.status.goals_with_status.
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("Alle"))
    source = django_filters.ChoiceFilter(choices=Goal.Source.choices, label=_("Datakilde"), empty_label=_("Alle"))
    frequency = django_filters.ChoiceFilter(choices=Goal.Frequency.choices, label=_("Opfølgning"), empty_label=_("Alle"))

    class Meta:
        model = Goal
        fields = ["status", "source", "frequency"]
