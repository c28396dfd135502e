"""The committee's pool: the year's amount, its four rounds, the applications and what becomes of them.

Amounts are in kr. (the seed's "0,250 mio. kr." is 250.000 kr.). What is granted is never stored twice:
a year's granted sum is the sum of its grant decisions (investments.pool.services.amounts).
"""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# "Ansøgninger til arbejdsmarkedsudvalgets pulje på 0,250 mio. kr." (seed 004, the committee introduction).
DEFAULT_POOL_AMOUNT = Decimal("250000")
# "Udvalgets pulje med 4 årlige frister (mar-jun-sep-dec)" (seed 004, Årshjul arbejdsmarkedsudvalget 2022).
DEADLINE_MONTHS = (3, 6, 9, 12)

_cvr_validator = RegexValidator(r"^[0-9]{8}$", _("Et CVR-nummer er 8 cifre."))


class PoolYear(models.Model):
    """The pool of one year and its amount (editable per year)."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    amount = models.DecimalField(
        _("puljens beløb (kr.)"),
        max_digits=12,
        decimal_places=2,
        default=DEFAULT_POOL_AMOUNT,
        validators=[MinValueValidator(Decimal(0))],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("puljeår")
        verbose_name_plural = _("puljeår")

    def __str__(self):
        return str(_("Udvalgets pulje %(year)s") % {"year": self.year})


class PoolRound(models.Model):
    """One application deadline of the year and the committee meeting that decides its applications."""

    pool_year = models.ForeignKey(PoolYear, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("år"))
    deadline = models.DateField(_("ansøgningsfrist"))
    meeting_date = models.DateField(
        _("udvalgsmøde"), null=True, blank=True, help_text=_("Det møde, hvor udvalget behandler rundens ansøgninger.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline"]
        constraints = [models.UniqueConstraint(fields=["pool_year", "deadline"], name="unique_pool_round_deadline")]
        verbose_name = _("ansøgningsrunde")
        verbose_name_plural = _("ansøgningsrunder")

    def __str__(self):
        return str(_("Frist %(date)s") % {"date": self.deadline.strftime("%d.%m.%Y")})

    def clean(self):
        if self.deadline and self.pool_year_id and self.deadline.year != self.pool_year.year:
            raise ValidationError({"deadline": _("Fristen skal ligge i puljens år.")})
        if self.deadline and self.meeting_date and self.meeting_date < self.deadline:
            raise ValidationError({"meeting_date": _("Mødet skal ligge efter fristen.")})


class Application(models.Model):
    """An application to the pool, from the public form or registered by an administrator.

    The contact person's name, e-mail and phone are personal data: only administrators see them, and
    they are deleted when a refusal is old enough (investments.pool.services.privacy).
    """

    # What an applicant fills in, on the public form or as an administrator registers it (both forms read it).
    APPLICANT_FIELDS = (
        "organisation",
        "kind",
        "cvr",
        "contact_name",
        "contact_email",
        "contact_phone",
        "title",
        "description",
        "amount_applied",
        "period_start",
        "period_end",
        "budget",
    )

    class Kind(models.TextChoices):
        ASSOCIATION = "forening", _("Forening")
        COMPANY = "virksomhed", _("Virksomhed")
        UNEMPLOYMENT_FUND = "a-kasse", _("A-kasse")
        EDUCATION = "uddannelsesinstitution", _("Uddannelsesinstitution")
        OTHER = "andet", _("Andet")

    class Source(models.TextChoices):
        WEB = "web", _("Ansøgningsskema på nettet")
        ADMINISTRATOR = "administrator", _("Registreret af administrator")

    class State(models.TextChoices):
        RECEIVED = "modtaget", _("Modtaget")
        ASSESSED = "vurderet", _("Vurderet")
        GRANTED = "bevilget", _("Bevilget")
        REFUSED = "afslaaet", _("Afslået")
        POSTPONED = "udsat", _("Udsat")

    round = models.ForeignKey(
        PoolRound, on_delete=models.PROTECT, related_name="applications", verbose_name=_("ansøgningsrunde")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("type ansøger"), max_length=24, choices=Kind.choices)
    cvr = models.CharField(_("CVR-nummer"), max_length=8, blank=True, validators=[_cvr_validator])
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-mail"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=30, blank=True)
    title = models.CharField(_("projektets titel"), max_length=200)
    description = models.TextField(_("projektbeskrivelse"))
    # Goals are the plans app's; investments stores their codes and plan year as text (no import of plans).
    goal_year = models.PositiveSmallIntegerField(_("planår for målene"), null=True, blank=True)
    goal_codes = models.CharField(
        _("understøttede mål"), max_length=200, blank=True, help_text=_("Målenes numre adskilt af komma, fx 1.1,2.3.")
    )
    amount_applied = models.DecimalField(
        _("ansøgt beløb (kr.)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"))
    budget = models.TextField(_("budget"))
    received_at = models.DateTimeField(_("modtaget"), default=timezone.now)
    source = models.CharField(_("kilde"), max_length=16, choices=Source.choices, default=Source.WEB)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.RECEIVED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    personal_data_deleted_at = models.DateTimeField(_("personoplysninger slettet"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "received_at", "pk"]
        verbose_name = _("ansøgning til puljen")
        verbose_name_plural = _("ansøgninger til puljen")

    def __str__(self):
        return f"{self.organisation}: {self.title}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Perioden skal slutte efter den begynder.")})

    @property
    def latest_decision(self) -> "Decision | None":
        decisions = list(self.decisions.all())  # prefetched where a page lists many
        return decisions[-1] if decisions else None

    @property
    def goal_code_list(self) -> list[str]:
        return [code.strip() for code in self.goal_codes.split(",") if code.strip()]


class FollowUp(models.Model):
    """A granted project's report back: when it is due, what it says, when it was filed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="follow_ups")
    due_date = models.DateField(_("frist for afrapportering"))
    report = models.TextField(_("afrapportering"), blank=True)
    filed_at = models.DateTimeField(_("afrapporteret"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "due_date"]
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")

    def __str__(self):
        return f"{self.application} {self.due_date:%Y-%m-%d}"


def _attachment_file_name(instance, filename):
    # The uploaded name is never used on disk (it is kept in original_name); files are private (0600).
    return f"pulje/{uuid.uuid4().hex}{'.pdf' if Path(filename).suffix.lower() == '.pdf' else ''}"


class Attachment(models.Model):
    """A file sent with an application or a follow-up report. Only PDF is accepted (checked on upload)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=_attachment_file_name)
    original_name = models.CharField(_("filnavn"), max_length=200)
    size = models.PositiveIntegerField(_("størrelse (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("filtype"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")

    def __str__(self):
        return self.original_name


class Recommendation(models.TextChoices):
    GRANT = "bevilg", _("Bevilg")
    REFUSE = "afslaa", _("Afslå")
    POSTPONE = "udsaet", _("Udsæt")


class Assessment(models.Model):
    """The administration's assessment and recommendation (indstilling) to the committee."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assessment")
    text = models.TextField(_("vurdering"))
    recommendation = models.CharField(_("indstilling"), max_length=8, choices=Recommendation.choices)
    proposed_amount = models.DecimalField(
        _("indstillet beløb (kr.)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(_("skrevet"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")

    def __str__(self):
        return str(self.application)

    def clean(self):
        if self.recommendation == Recommendation.GRANT and not self.proposed_amount:
            raise ValidationError({"proposed_amount": _("Angiv det beløb, der indstilles til bevilling.")})


class Decision(models.Model):
    """The committee's decision on an application. A postponed application can be decided again later;
    at most one decision per application is a grant. Decisions are kept when personal data is deleted."""

    class Outcome(models.TextChoices):
        GRANTED = "bevilget", _("Bevilget")
        REFUSED = "afslaaet", _("Afslået")
        POSTPONED = "udsat", _("Udsat")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("afgørelse"), max_length=12, choices=Outcome.choices)
    granted_amount = models.DecimalField(
        _("bevilget beløb (kr.)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    meeting_date = models.DateField(_("mødedato"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    decided_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    message = models.TextField(_("besked til ansøgeren"), blank=True)
    notified_at = models.DateTimeField(_("ansøgeren underrettet"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(outcome="bevilget"), name="one_grant_per_application"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="bevilget", granted_amount__gt=0)
                | (~models.Q(outcome="bevilget") & models.Q(granted_amount__isnull=True)),
                name="grant_has_amount",
            ),
        ]
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")

    def __str__(self):
        return f"{self.application} {self.get_outcome_display()}"
