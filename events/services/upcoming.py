from datetime import date

from events.models import Fair, Meeting


def next_fair(today: date) -> Fair | None:
    return Fair.objects.select_related("series").filter(date__gte=today).order_by("date").first()


def next_meeting(today: date) -> Meeting | None:
    return Meeting.objects.select_related("project").filter(date__gte=today).order_by("date").first()


def latest_fair(today: date) -> Fair | None:
    return Fair.objects.select_related("series").filter(date__lt=today).order_by("-date").first()


def latest_meeting(today: date) -> Meeting | None:
    return Meeting.objects.select_related("project").filter(date__lt=today).order_by("-date").first()
