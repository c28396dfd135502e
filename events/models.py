from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["series", "venue", "date"], name="unique_fair")]
        verbose_name = _("inspirationsmesse")
        verbose_name_plural = _("inspirationsmesser")

    def __str__(self):
        return f"{self.series.title}, {self.venue}"


class ProgrammeItem(models.Model):
    series = models.ForeignKey(FairSeries, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.TimeField(_("fra"))
    ends_at = models.TimeField(_("til"))
    text = models.TextField(_("indhold"))
    condition = models.TextField(
        _("forbehold"), blank=True, help_text=_("Udfyldes, hvis punktet kun gennemføres på betingelse.")
    )

    class Meta:
        ordering = ["series", "starts_at"]
        verbose_name = _("programpunkt")
        verbose_name_plural = _("programpunkter")

    def __str__(self):
        return f"{self.starts_at:%H.%M}-{self.ends_at:%H.%M} {self.text[:40]}"

    @property
    def is_conditional(self) -> bool:
        return bool(self.condition)


class Project(models.Model):
    """A labour-market project followed by a political follow-up group (the 50+ project)."""

    title = models.CharField(_("titel"), max_length=200)
    funding = models.CharField(_("finansiering"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    target_participants = models.PositiveIntegerField(_("mål for antal deltagere"))
    duration_months = models.PositiveSmallIntegerField(_("varighed i måneder"))
    partners_expected = models.TextField(_("forventede samarbejdspartnere"), blank=True)

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

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="unique_meeting_date")]
        verbose_name = _("møde")
        verbose_name_plural = _("møder")

    def __str__(self):
        return f"{self.project.title} {self.date:%d.%m.%Y}"
