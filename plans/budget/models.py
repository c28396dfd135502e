"""The budget an administrator enters for each benefit group and year. Registered through plans.models
(app label "plans")."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.core.benefits import BUDGET_GROUP_CHOICES, budget_group


class BenefitBudget(models.Model):
    """The budgeted full-time persons (the year's average) of one benefit group, and optionally the budget in kr.

    The average cost of a full-time person is the budget in kr divided by the budgeted persons: computed,
    never stored beside them.
    """

    group = models.CharField(_("ydelsesgruppe"), max_length=30, choices=BUDGET_GROUP_CHOICES)
    year = models.PositiveSmallIntegerField(_("år"))
    full_time_persons = models.DecimalField(
        _("budgetterede fuldtidspersoner"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Årets gennemsnitlige antal fuldtidspersoner i budgettet."),
    )
    amount = models.DecimalField(
        _("budget i kr."),
        max_digits=13,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Valgfrit: så kan siden regne et forventet mer- eller mindreforbrug i kr."),
    )
    note = models.CharField(_("bemærkning"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "group"]
        constraints = [models.UniqueConstraint(fields=["group", "year"], name="unique_benefit_budget")]
        verbose_name = _("budget for ydelsesgruppe")
        verbose_name_plural = _("budgetter for ydelsesgrupper")

    def __str__(self):
        return f"{self.year} {self.group_label}"

    @property
    def group_label(self) -> str:
        return str(budget_group(self.group).label)

    @property
    def cost_per_person(self) -> Decimal | None:
        """The budget's average yearly cost of a full-time person, in kr."""
        if self.amount is None or not self.full_time_persons:
            return None
        return self.amount / self.full_time_persons
