from datetime import date

from events.models import Fair, FairSeries, Meeting


def next_fair(today: date) -> Fair | None:
    return Fair.objects.select_related("series").filter(date__gte=today).order_by("date").first()


def next_meeting(today: date) -> Meeting | None:
    return Meeting.objects.select_related("project").filter(date__gte=today).order_by("date").first()


def latest_fair(today: date) -> Fair | None:
    return Fair.objects.select_related("series").filter(date__lt=today).order_by("-date").first()


def latest_meeting(today: date) -> Meeting | None:
    return Meeting.objects.select_related("project").filter(date__lt=today).order_by("-date").first()


def in_year(year: int) -> dict:
    """The year's fairs, the fair series' association deadlines and the follow-up group's meetings (three queries).

    Read by the committee's annual wheel (plans.wheel.service), so plans does not query events' models.
    """
    return {
        "fairs": list(Fair.objects.select_related("series").filter(date__year=year).order_by("date")),
        "deadlines": list(FairSeries.objects.filter(registration_deadline__year=year).order_by("registration_deadline")),
        "meetings": list(Meeting.objects.select_related("project").filter(date__year=year).order_by("date")),
    }
