from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserChange(models.Model):
    """One change to a user in the portal's user management: the audit trail for users.

    The user model is not under django-simple-history: its history would keep every password hash
    and a row for each login (last_login). This keeps what an administrator changed, by whom and
    when, and when a user set a password through a link.
    """

    class Action(models.TextChoices):
        CREATED = "oprettet", _("Oprettet")
        CHANGED = "aendret", _("Oplysninger ændret")
        ROLE = "rolle", _("Rolle ændret")
        DEACTIVATED = "deaktiveret", _("Deaktiveret")
        ACTIVATED = "aktiveret", _("Aktiveret igen")
        LINK_SENT = "link_sendt", _("Link til adgangskode sendt")
        PASSWORD_SET = "adgangskode_sat", _("Adgangskode sat")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("bruger")
    )
    username = models.CharField(_("brugernavn"), max_length=150)  # as it was, should the user be deleted
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("ændringer"), default=list, blank=True)  # [[field, before, after], ...]
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ændret af"),
    )
    changed_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("brugerændring")
        verbose_name_plural = _("brugerændringer")

    def __str__(self):
        return f"{self.username}: {self.get_action_display()}"


class DemoData(models.Model):
    """The marker that the demo data set is loaded (portal.demo): its one row exists from load_demo_data
    until remove_demo_data. Every page shows a banner while it does."""

    loaded_at = models.DateTimeField(_("indlæst"))
    loaded_for = models.DateField(_("dagen, tallene er regnet ud fra"))

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="demo_data_single_row")]
        verbose_name = _("demodata")
        verbose_name_plural = _("demodata")

    def __str__(self):
        return f"Demodata {self.loaded_at:%Y-%m-%d}"


# "Nyt siden sidst" keeps its models in its package (portal.digest); importing them here registers them.
from portal.digest.models import DigestDelivery, DigestSettings  # noqa: E402,F401
