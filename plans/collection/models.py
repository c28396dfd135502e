"""The collection round for local figures: who owes which indicator's figures, the rounds an administrator
starts, and when each owner was last reminded. Registered through plans.models (app label "plans").

Whether an item of a round is received is not stored: it is whether the indicator has a figure for the
period (plans.Observation), however it came (the owner's form, an uploaded template, an administrator).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.periods import Period, parse_period


class DataOwner(models.Model):
    """The user who delivers a local indicator's figures (Dataansvarlig); one user may own several."""

    indicator = models.OneToOneField(
        "plans.Indicator", on_delete=models.CASCADE, related_name="data_owner", verbose_name=_("indikator")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="owned_indicators",
        verbose_name=_("dataansvarlig"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator"]
        verbose_name = _("dataansvarlig for indikator")
        verbose_name_plural = _("dataansvarlige for indikatorer")

    def __str__(self):
        return f"{self.indicator_id}: {self.user}"


class CollectionRound(models.Model):
    """A round of collecting local figures for one period (a half-year or a quarter), started by an administrator."""

    period_code = models.CharField(_("periode"), max_length=10, unique=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("startet af")
    )
    started_at = models.DateTimeField(_("startet"), auto_now_add=True)
    # The portal's address as the administrator who started the round used it: the reminders, sent by a
    # task without a request, link with it.
    site_url = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_code"]
        verbose_name = _("indsamlingsrunde")
        verbose_name_plural = _("indsamlingsrunder")

    def __str__(self):
        return str(_("Indsamling %(period)s") % {"period": self.period.label})

    @property
    def period(self) -> Period:
        return parse_period(self.period_code)


class CollectionItem(models.Model):
    """One indicator's figure for one period that a round asks for, when it is due, and what its owner wrote."""

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE, related_name="collection_items")
    period_code = models.CharField(_("periode"), max_length=10)
    due_on = models.DateField(_("frist"))
    comment = models.TextField(_("kommentar"), blank=True)
    source = models.CharField(_("kilde"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)

    class Meta:
        ordering = ["round", "indicator", "period_code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator", "period_code"], name="unique_collection_item"),
        ]
        verbose_name = _("tal i indsamlingsrunde")
        verbose_name_plural = _("tal i indsamlingsrunder")

    def __str__(self):
        return f"{self.round_id} {self.indicator_id} {self.period_code}"

    @property
    def period(self) -> Period:
        return parse_period(self.period_code)


class OwnerReminder(models.Model):
    """The day a data owner was last reminded (or invited): reminders go out at most once a day per owner."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_sent_on = models.DateField(_("sidst påmindet"))

    class Meta:
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")

    def __str__(self):
        return f"{self.user_id} {self.last_sent_on}"
