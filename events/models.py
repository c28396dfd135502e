"""The events app's models: the fairs (events.fairs.models) and the 50+ project (events.project.models)
each live in their own package; they are named here so Django finds them under the app label "events".
The personal calendar feed, which serves both, is defined here."""

import secrets

from django.conf import settings
from django.db import models

from events.fairs.models import Association, CitizenSignup, Fair, FairSeries, PersonalDataDeletion, ProgrammeItem
from events.project.models import GroupSeat, Meeting, MeetingDocument, Partner, ProgressReport, Project

__all__ = [
    "Association",
    "CalendarFeed",
    "CitizenSignup",
    "Fair",
    "FairSeries",
    "GroupSeat",
    "Meeting",
    "MeetingDocument",
    "Partner",
    "PersonalDataDeletion",
    "ProgrammeItem",
    "ProgressReport",
    "Project",
]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's personal calendar address; a new token revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"iCalendar-feed for {self.user_id}"

    def renew(self) -> None:
        self.token = _new_token()
        self.save(update_fields=["token", "created_at"])
