"""Local key figures that no Jobindsats table holds. Registered through plans.models (app label "plans")."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LocalKeyFigure(models.Model):
    """One year's count of citizens in contact with the jobcenter, or of the groups the committee
    introduction sets beside it (pupils, pensioners), with its source."""

    class Kind(models.TextChoices):
        CONTACT = "kontaktforloeb", _("Borgere med kontaktforløb i jobcenteret")
        PUPILS = "grundskoleelever", _("Grundskoleelever")
        PENSIONERS = "folkepensionister", _("Folkepensionister")

    kind = models.CharField(_("tal"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.PositiveIntegerField(_("antal"), validators=[MinValueValidator(0)])
    source = models.CharField(_("kilde"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="unique_local_key_figure")]
        verbose_name = _("lokalt nøgletal")
        verbose_name_plural = _("lokale nøgletal")

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}: {self.value}"
