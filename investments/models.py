from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The pool's models live in their own package; named here so Django finds them under the app label "investments".
from investments.pool.models import Application, Assessment, Attachment, Decision, FollowUp, PoolRound, PoolYear

__all__ = [
    "Application",
    "Assessment",
    "Attachment",
    "Decision",
    "FollowUp",
    "PoolRound",
    "PoolYear",
    "Proposal",
    "Realisation",
    "Strategy",
    "YearlyFigure",
]


def net_effect(investment: Decimal | None, savings: Decimal | None) -> Decimal:
    """Net effect on the budget ("Total" in Bilag 4): investment plus savings (savings are negative)."""
    return (investment or Decimal(0)) + (savings or Decimal(0))


class Strategy(models.Model):
    """An investment strategy (Bilag 4) with its budgeting rule."""

    title = models.CharField(_("titel"), max_length=200)
    document = models.CharField(_("dokument"), max_length=100, blank=True)
    introduction = models.TextField(_("indledning"), blank=True)
    price_level = models.CharField(_("prisniveau"), max_length=20)
    unit = models.CharField(_("enhed"), max_length=20)
    budget_rule_text = models.TextField(_("budgetteringsregel"))
    prudent_share = models.DecimalField(
        _("andel af potentialet der indregnes"),
        max_digits=3,
        decimal_places=2,
        help_text=_("Den forsigtige budgetlægning: 0,50 betyder, at halvdelen af potentialet indregnes."),
    )
    first_year = models.PositiveSmallIntegerField(_("første år"))
    last_year = models.PositiveSmallIntegerField(_("sidste år"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investeringsstrategi")
        verbose_name_plural = _("investeringsstrategier")

    def __str__(self):
        return self.title

    def clean(self):
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError(_("Første år skal ligge før sidste år."))
        if self.prudent_share is not None and not Decimal("0") <= self.prudent_share <= Decimal("1"):
            raise ValidationError({"prudent_share": _("Andelen skal ligge mellem 0 og 1.")})

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class Proposal(models.Model):
    """One investment proposal (forslag 1-5)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivelse af investeringen"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="unique_proposal_number")]
        verbose_name = _("investeringsforslag")
        verbose_name_plural = _("investeringsforslag")

    def __str__(self):
        return str(_("Forslag %(number)s: %(title)s") % {"number": self.number, "title": self.title})


class YearlyFigure(models.Model):
    """A proposal's printed figures for one year, in mio. kr. (exact decimals).

    An empty figure is what the document prints as "-". Where the document's own totals show
    that a printed figure is wrong, the confirmed value is stored and the printed one is kept
    in `printed_savings` with an explanation in `data_note`.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("år"))
    investment = models.DecimalField(_("investering i indsats"), max_digits=9, decimal_places=3, null=True, blank=True)
    savings = models.DecimalField(_("besparelse på forsørgelse"), max_digits=9, decimal_places=3, null=True, blank=True)
    printed_savings = models.CharField(_("trykt besparelse"), max_length=20, blank=True)
    data_note = models.TextField(_("datanote"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "year"]
        constraints = [models.UniqueConstraint(fields=["proposal", "year"], name="unique_figure_year")]
        verbose_name = _("årstal")
        verbose_name_plural = _("årstal")

    def __str__(self):
        return f"{self.proposal} {self.year}"

    @property
    def net(self) -> Decimal:
        """Net effect on the budget ("Total" in the document): investment plus savings."""
        return net_effect(self.investment, self.savings)


class Realisation(models.Model):
    """Savings realised in one month, as reported at the monthly status meetings on the economy.

    Signs follow Bilag 4: a saving on benefits is negative; a positive amount is an extra cost.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="realisations")
    month = models.DateField(_("måned"), help_text=_("Den første dag i måneden."))
    amount = models.DecimalField(_("realiseret besparelse"), max_digits=9, decimal_places=3)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("indtastet af")
    )
    entered_at = models.DateTimeField(_("indtastet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "month", "entered_at"]
        constraints = [models.UniqueConstraint(fields=["proposal", "month"], name="unique_realisation_month")]
        verbose_name = _("realisering")
        verbose_name_plural = _("realiseringer")

    def __str__(self):
        return f"{self.proposal} {self.month:%Y-%m}"

    def clean(self):
        if self.month is None:
            return
        self.month = self.month.replace(day=1)
        strategy = self.proposal.strategy if self.proposal_id else None
        if strategy and not strategy.first_year <= self.month.year <= strategy.last_year:
            raise ValidationError(
                {
                    "month": _("Strategien dækker %(first)s-%(last)s; %(year)s ligger uden for.")
                    % {"first": strategy.first_year, "last": strategy.last_year, "year": self.month.year}
                }
            )
