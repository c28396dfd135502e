from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """An employment plan (Beskæftigelsesplan) for one year."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    title = models.CharField(_("titel"), max_length=200)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("beskæftigelsesplan")
        verbose_name_plural = _("beskæftigelsesplaner")

    def __str__(self):
        return self.title


class MinisterGoal(models.Model):
    """One of the minister's employment-policy goals that a plan builds on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="minister_goals")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_minister_goal_number")]
        verbose_name = _("ministermål")
        verbose_name_plural = _("ministermål")

    def __str__(self):
        return f"Ministermål {self.number}: {self.title}"


class Goal(models.Model):
    """A local goal of the plan, e.g. 6.10 "Ordinære timer".

    The code is stored as its two numbers so goals sort 6.9 before 6.10.
    """

    class Kind(models.TextChoices):
        RESULT = "resultatmaal", _("Resultatmål")
        FOCUS = "fokusmaal", _("Fokusmål")
        LOCAL = "lokalt", _("Lokalt mål")

    class Source(models.TextChoices):
        JOBINDSATS = "jobindsats", "Jobindsats.dk"
        UNGEINDSATSEN = "ungeindsatsen", "Ungeindsatsen"
        ARBEJDSMARKEDSAFDELINGEN = "arbejdsmarkedsafdelingen", "Arbejdsmarkedsafdelingen"
        CVR_FASIT = "cvr_fasit", "CVR/Fasit"
        JOB_OG_SPROG = "job_og_sprog", "Job og Sprog"
        NOT_STATED = "ikke_angivet", _("Ikke angivet i planen")

    class Frequency(models.TextChoices):
        QUARTERLY = "kvartalsvis", _("Kvartalsvis")
        HALF_YEARLY = "halvaarlig", _("Halvårlig")
        YEARLY = "aarlig", _("Årlig")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    minister_goal = models.ForeignKey(
        MinisterGoal,
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        help_text=_("Tomt for resultat- og fokusmålene, som ikke hører under et ministermål."),
    )
    major = models.PositiveSmallIntegerField(_("hovednummer"))
    minor = models.PositiveSmallIntegerField(_("undernummer"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("hvad følges der op på?"), max_length=200)
    metric = models.TextField(_("hvad måles der på?"))
    target_text = models.TextField(_("mål"))
    follow_up_text = models.TextField(_("hvornår følges der op?"))
    source = models.CharField(_("datakilde"), max_length=30, choices=Source.choices)
    frequency = models.CharField(_("opfølgningsfrekvens"), max_length=20, choices=Frequency.choices)

    class Meta:
        ordering = ["plan", "major", "minor"]
        constraints = [models.UniqueConstraint(fields=["plan", "major", "minor"], name="unique_goal_code")]
        verbose_name = _("lokalt mål")
        verbose_name_plural = _("lokale mål")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.major}.{self.minor}"


class BenchmarkPeriod(models.Model):
    """A period of the minister's benchmark (jobindsats table Y30R21), e.g. 2021QMAT02."""

    code = models.CharField(_("periodekode"), max_length=20, unique=True)
    label = models.CharField(_("periode"), max_length=100)
    note = models.TextField(_("bemærkning"), blank=True)

    class Meta:
        ordering = ["-code"]
        verbose_name = _("benchmarkperiode")
        verbose_name_plural = _("benchmarkperioder")

    def __str__(self):
        return self.label


class BenchmarkResult(models.Model):
    """Expected vs actual full-time persons on public support for one benefit group."""

    period = models.ForeignKey(BenchmarkPeriod, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(_("rækkefølge"))
    benefit_group = models.CharField(_("ydelsesgruppe"), max_length=100)
    description = models.TextField(_("dækker over"), blank=True)
    expected = models.PositiveIntegerField(_("forventet antal"))
    actual = models.PositiveIntegerField(_("faktisk antal"))
    rank = models.PositiveSmallIntegerField(_("placering på benchmarkranglisten"))

    class Meta:
        ordering = ["period", "position"]
        constraints = [
            models.UniqueConstraint(fields=["period", "benefit_group"], name="unique_benchmark_group"),
        ]
        verbose_name = _("benchmarkresultat")
        verbose_name_plural = _("benchmarkresultater")

    def __str__(self):
        return f"{self.period.code} {self.benefit_group}"

    @property
    def difference(self) -> int:
        """Actual minus expected, as the table prints it: negative is better than expected."""
        return self.actual - self.expected
