"""A user's "Nyt siden sidst" settings and the digests sent to them. Registered through portal.models."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestSettings(models.Model):
    """The date a user reads "Nyt siden sidst" from on the start page, and their e-mail subscription."""

    class Frequency(models.TextChoices):
        NONE = "", _("Ingen e-mail")
        WEEKLY = "ugentlig", _("Hver uge, når der er nyt")
        HALF_YEARLY = "halvaarlig", _("Når en halvårsrapport er klar")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_settings", verbose_name=_("bruger")
    )
    since = models.DateField(_("nyt siden"), null=True, blank=True)  # None: portal.digest.service.DEFAULT_DAYS back
    frequency = models.CharField(_("e-mail"), max_length=12, choices=Frequency.choices, blank=True, default="")
    # The language and the portal's address when the user subscribed: the mail is sent by a task without a request.
    language = models.CharField(_("sprog"), max_length=10, default="da")
    site_url = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("indstilling for nyt siden sidst")
        verbose_name_plural = _("indstillinger for nyt siden sidst")

    def __str__(self):
        return f"{self.user_id} {self.frequency or '-'}"


class DigestDelivery(models.Model):
    """A digest sent to a user for one period (a week "2025-W07" or a half-year "2024H2"): never two."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("periode"), max_length=20)
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)
    lines = models.PositiveIntegerField(_("linjer"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_digest_delivery")]
        verbose_name = _("udsendt nyhedsmail")
        verbose_name_plural = _("udsendte nyhedsmails")

    def __str__(self):
        return f"{self.user_id} {self.key}"
