"""The committee's annual wheel (årshjul): its fixed yearly events, kept by administrators.

Registered through plans.models (app label "plans"). The wheel page adds the events that follow
from other data (portal.registry.calendar): plan adoptions, half-year follow-ups (plans.wheel.service),
Jobindsats release dates (plans.imports.calendar), the fairs' deadlines and days and the 50+ group's meetings (events).
"""

import calendar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.imports.calendar import RELEASE_KIND, RELEASE_KIND_LABEL


class WheelEvent(models.Model):
    """A fixed event that comes back every year, on a day or some time in a month."""

    class Kind(models.TextChoices):
        MINISTER_GOALS = "ministermaal", _("Ministerens mål")
        PLAN_ADOPTION = "vedtagelse", _("Planens vedtagelse")
        FOLLOW_UP = "opfoelgning", _("Halvårlig opfølgning")
        JOBINDSATS = RELEASE_KIND, RELEASE_KIND_LABEL  # the import's release dates (plans.imports.calendar)
        FAIR_DEADLINE = "messefrist", _("Messe-frist")
        FAIR = "messe", _("Messe")
        MEETING_50PLUS = "moede50", _("50+-møde")
        OTHER = "andet", _("Andet")

    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    month = models.PositiveSmallIntegerField(_("måned"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(
        _("dag"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Tom: en gang i løbet af måneden."),
    )
    description = models.TextField(_("beskrivelse"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "day", "title"]
        verbose_name = _("fast begivenhed i årshjulet")
        verbose_name_plural = _("faste begivenheder i årshjulet")

    def __str__(self):
        return self.title

    def clean(self):
        # 29 February is allowed: in a year without it the event falls on the 28th (plans.wheel.service).
        if self.month and self.day and self.day > calendar.monthrange(2024, self.month)[1]:
            raise ValidationError({"day": _("Måneden har ikke så mange dage.")})
