"""The four budget follow-ups in the committee's year (portal.registry.calendar_source, registered in
PlansConfig.ready): "Budgetopfølgning april" etc. in their months, linking to the follow-up's page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.budget.services import follow_ups
from portal.registry import CalendarEntry

BUDGET_KIND = "budget"
BUDGET_KIND_LABEL = gettext_lazy("Budgetopfølgning")


def follow_up_entries(year: int) -> list[CalendarEntry]:
    url = reverse("budget:overview")
    return [
        CalendarEntry(
            f"budgetopfoelgning-{year}-{follow.key}",
            follow.label,
            year,
            follow.month,
            BUDGET_KIND,
            str(BUDGET_KIND_LABEL),
            url=f"{url}?aar={year}&opfoelgning={follow.key}",
            description=_("Ydelsernes fuldtidspersoner mod budgettet."),
        )
        for follow in follow_ups()
    ]
