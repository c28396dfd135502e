"""The 50+ project: its partners, the political follow-up group's seats and meetings, and the quarterly figures."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Project(models.Model):
    """A labour-market project followed by a political follow-up group (the 50+ project)."""

    title = models.CharField(_("titel"), max_length=200)
    funding = models.CharField(_("finansiering"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    target_participants = models.PositiveIntegerField(_("mål for antal deltagere"))
    duration_months = models.PositiveSmallIntegerField(_("varighed i måneder"))
    partners_expected = models.TextField(_("forventede samarbejdspartnere"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("projekt")
        verbose_name_plural = _("projekter")

    def __str__(self):
        return self.title


class Partner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_partner")]
        verbose_name = _("samarbejdspartner")
        verbose_name_plural = _("samarbejdspartnere")

    def __str__(self):
        return self.name


class GroupSeat(models.Model):
    """A seat in the project's political follow-up group and who holds it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="seats")
    position = models.PositiveSmallIntegerField(_("rækkefølge"))
    title = models.CharField(_("plads"), max_length=200)
    holder = models.CharField(_("besat af"), max_length=200, blank=True)
    appointed_by = models.CharField(_("udpeget af"), max_length=200, blank=True)
    appointed_on = models.DateField(_("udpeget den"), null=True, blank=True)
    decision = models.TextField(_("beslutning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "title"], name="unique_seat")]
        verbose_name = _("plads i følgegruppen")
        verbose_name_plural = _("pladser i følgegruppen")

    def __str__(self):
        return self.title


class Meeting(models.Model):
    """A meeting of the follow-up group."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("dato"))
    description = models.TextField(_("beskrivelse"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="unique_meeting_date")]
        verbose_name = _("møde")
        verbose_name_plural = _("møder")

    def __str__(self):
        return f"{self.project.title} {self.date:%d.%m.%Y}"


def _document_file_name(instance, filename):
    # The uploaded name is never used on disk; the title is what users see.
    suffix = Path(filename).suffix.lower()
    return f"moeder/{uuid.uuid4().hex}{suffix if suffix.isascii() and len(suffix) <= 6 else ''}"


class MeetingDocument(models.Model):
    class Kind(models.TextChoices):
        AGENDA = "dagsorden", _("Dagsorden")
        MATERIAL = "materiale", _("Materiale")
        MINUTES = "referat", _("Referat")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("fil"), upload_to=_document_file_name)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "kind", "uploaded_at"]
        verbose_name = _("mødedokument")
        verbose_name_plural = _("mødedokumenter")

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    """The 50+ project's aggregate figures for one quarter (no personal data)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    quarter = models.CharField(_("kvartal"), max_length=7, help_text=_("Fx 2025Q2."))
    joint_conversations = models.PositiveIntegerField(_("fælles samtaler afholdt"))
    offers_upskilling = models.PositiveIntegerField(_("opkvalificering påbegyndt"), default=0)
    offers_industry_change = models.PositiveIntegerField(_("brancheskifte påbegyndt"), default=0)
    offers_network = models.PositiveIntegerField(_("virksomhedsrettet netværk påbegyndt"), default=0)
    offers_other = models.PositiveIntegerField(_("andet påbegyndt"), default=0)
    in_job_or_education = models.PositiveIntegerField(_("deltagere i job eller uddannelse"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(_("indtastet"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "quarter"]
        constraints = [models.UniqueConstraint(fields=["project", "quarter"], name="unique_progress_quarter")]
        verbose_name = _("kvartalstal")
        verbose_name_plural = _("kvartalstal")

    def __str__(self):
        return f"{self.project} {self.quarter}"

    @property
    def offers_started(self) -> int:
        return self.offers_upskilling + self.offers_industry_change + self.offers_network + self.offers_other
