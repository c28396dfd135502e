"""The inspiration fairs: the series, its fairs and programme, the associations and the citizens' sign-ups."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Check-in opens on the fair's morning and stays open this many days after, so attendance noted on paper
# at the fair can be entered afterwards; the personal data is kept longer (FAIR_PERSONAL_DATA_DAYS).
CHECKIN_DAYS_AFTER = 7


class FairSeries(models.Model):
    """The inspiration fairs planned together: shared purpose, targets and programme."""

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("formål"))
    early_retirement_citizens = models.PositiveIntegerField(_("borgere på førtidspension (ca.)"))
    flex_benefit_citizens = models.PositiveIntegerField(_("borgere på ledighedsydelse (ca.)"))
    associations_invited = models.PositiveSmallIntegerField(_("inviterede foreninger og aktører"))
    association_target_min = models.PositiveSmallIntegerField(_("mål for foreninger pr. messe, mindst"))
    association_target_max = models.PositiveSmallIntegerField(_("mål for foreninger pr. messe, højst"))
    citizens_expected_min = models.PositiveSmallIntegerField(_("forventet fremmøde pr. messe, mindst"))
    citizens_expected_max = models.PositiveSmallIntegerField(_("forventet fremmøde pr. messe, højst"))
    registration_deadline = models.DateField(_("tilmeldingsfrist for foreninger"))
    invitation_text = models.TextField(_("sådan inviteres borgerne"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("messerække")
        verbose_name_plural = _("messerækker")

    def __str__(self):
        return self.title


class Fair(models.Model):
    """One fair day at one library. Its times follow from the series' programme."""

    series = models.ForeignKey(FairSeries, on_delete=models.CASCADE, related_name="fairs")
    venue = models.CharField(_("sted"), max_length=100)
    date = models.DateField(_("dato"))
    capacity = models.PositiveSmallIntegerField(
        _("pladser til borgere"),
        null=True,
        blank=True,
        help_text=_("Når alle pladser er taget, kommer nye tilmeldinger på venteliste. Tomt: ingen grænse."),
    )
    personal_data_deleted_at = models.DateTimeField(_("personoplysninger slettet"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["series", "venue", "date"], name="unique_fair")]
        verbose_name = _("inspirationsmesse")
        verbose_name_plural = _("inspirationsmesser")

    def __str__(self):
        return f"{self.series.title}, {self.venue}"

    @property
    def checkin_closes(self) -> date:
        return self.date + timedelta(days=CHECKIN_DAYS_AFTER)

    def checkin_open(self, today: date) -> bool:
        return self.date <= today <= self.checkin_closes


class Association(models.Model):
    """An association or culture actor ("kulturaktør") invited to exhibit at the fairs."""

    class Status(models.TextChoices):
        INVITED = "inviteret", _("Inviteret")
        REGISTERED = "tilmeldt", _("Tilmeldt")
        WITHDRAWN = "afmeldt", _("Afmeldt")

    series = models.ForeignKey(FairSeries, on_delete=models.CASCADE, related_name="associations")
    name = models.CharField(_("navn"), max_length=200)
    contact_person = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact = models.CharField(_("telefon eller e-mail"), max_length=200, blank=True)
    offers_activity = models.BooleanField(_("tilbud"), default=False)
    offers_volunteering = models.BooleanField(_("frivilligjob"), default=False)
    offers_community = models.BooleanField(_("fællesskab"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INVITED)
    fairs = models.ManyToManyField(Fair, blank=True, related_name="associations", verbose_name=_("deltager i"))
    registered_at = models.DateTimeField(_("tilmeldt"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["series", "name"]
        constraints = [models.UniqueConstraint(fields=["series", "name"], name="unique_association")]
        verbose_name = _("kulturaktør")
        verbose_name_plural = _("kulturaktører")

    def __str__(self):
        return self.name


class CitizenSignup(models.Model):
    """A citizen's sign-up for one fair, registered by a caseworker. Only what the fair needs; no CPR.

    Name and contact details are wiped by events.fairs.services.privacy after the retention period;
    the rest (benefit group, status, attendance) stays for the aggregate figures.
    """

    class BenefitGroup(models.TextChoices):
        EARLY_RETIREMENT = "foertidspension", _("Førtidspension")
        FLEX_BENEFIT = "ledighedsydelse", _("Ledighedsydelse")
        OTHER = "anden", _("Anden")

    class Status(models.TextChoices):
        CONFIRMED = "tilmeldt", _("Tilmeldt")
        WAITING = "venteliste", _("Venteliste")
        CANCELLED = "afmeldt", _("Afmeldt")

    # The citizen's personal data: entered by the caseworker (SignupForm, services.signups.register) and wiped,
    # with the consent's date, when the fair no longer needs it (services.privacy). The one list of them: a
    # personal field added here is entered and wiped (tests/events/test_personal_fields.py).
    PERSONAL_FIELDS = ("name", "phone", "email")
    # What the caseworker enters beside it, kept for the committee's aggregate figures.
    KEPT_FIELDS = ("benefit_group", "needs_transport", "needs_accessibility", "consent_to_contact")
    ENTERED_FIELDS = (*PERSONAL_FIELDS, *KEPT_FIELDS)

    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="signups")
    name = models.CharField(_("navn"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    benefit_group = models.CharField(_("ydelse"), max_length=20, choices=BenefitGroup.choices)
    needs_transport = models.BooleanField(_("behov for transport"), default=False)
    needs_accessibility = models.BooleanField(_("behov for tilgængelighed"), default=False)
    consent_to_contact = models.BooleanField(_("samtykke til at blive kontaktet"), default=False)
    consent_date = models.DateField(_("samtykke givet"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    attended = models.BooleanField(_("mødt op"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    registered_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status ændret"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)
    # One key per rendered form: a double click or a resubmitted form registers the citizen once.
    submission_key = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fair", "registered_at", "id"]
        indexes = [models.Index(fields=["fair", "status", "registered_at"], name="signup_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="unique_signup_submission",
            ),
        ]
        verbose_name = _("borgertilmelding")
        verbose_name_plural = _("borgertilmeldinger")

    def __str__(self):
        return f"{self.name or _('(anonymiseret)')}, {self.fair}"

    @classmethod
    def wiped_values(cls) -> dict:
        """The personal fields and the consent's date as the wipe leaves them: empty."""
        fields = (cls._meta.get_field(name) for name in (*cls.PERSONAL_FIELDS, "consent_date"))
        return {field.name: None if field.null else field.get_default() for field in fields}

    def cancel_refusal(self, today: date, fair_date: date) -> str:
        """Why the sign-up cannot be cancelled, or "". Attendance, once noted, and a held fair are facts the
        committee's figures count: cancelling would remove them (and move someone up to a seat at a past fair)."""
        if self.attended is not None:
            return _("Borgerens fremmøde er registreret, så tilmeldingen kan ikke afmeldes.")
        if today > fair_date:
            return _("Messen er afholdt, så tilmeldingen kan ikke afmeldes.")
        return ""

    def clean(self):
        if self.consent_to_contact and not (self.phone or self.email):
            raise ValidationError(_("Samtykke til kontakt kræver et telefonnummer eller en e-mailadresse."))
        if (self.phone or self.email) and not self.consent_to_contact:
            raise ValidationError(
                _("Telefon og e-mail må kun gemmes, når borgeren har givet samtykke til at blive kontaktet.")
            )


class PersonalDataDeletion(models.Model):
    """The log of each automatic deletion of citizens' personal data."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="deletions")
    signups = models.PositiveIntegerField(_("tilmeldinger anonymiseret"))
    deleted_at = models.DateTimeField(_("slettet"), auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = _("sletning af personoplysninger")
        verbose_name_plural = _("sletninger af personoplysninger")

    def __str__(self):
        return f"{self.fair} {self.deleted_at:%Y-%m-%d}"


class ProgrammeItem(models.Model):
    series = models.ForeignKey(FairSeries, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.TimeField(_("fra"))
    ends_at = models.TimeField(_("til"))
    text = models.TextField(_("indhold"))
    condition = models.TextField(
        _("forbehold"), blank=True, help_text=_("Udfyldes, hvis punktet kun gennemføres på betingelse.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["series", "starts_at"]
        verbose_name = _("programpunkt")
        verbose_name_plural = _("programpunkter")

    def __str__(self):
        return f"{self.starts_at:%H.%M}-{self.ends_at:%H.%M} {self.text[:40]}"

    @property
    def is_conditional(self) -> bool:
        return bool(self.condition)
