"""The core's models: plans, minister goals, goals, indicators, their observations and status changes,
the administration's remarks and the benchmark's tables. Named for Django in plans.models (app label "plans")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.core.areas import MUNICIPALITIES
from plans.evaluation import Reason, RuleKind, Status, TargetRule
from portal.periods import Period, PeriodError, parse_period


def plan_in_force(plans, today):
    """The plan in force on `today` among `plans`: the newest adopted plan of that year or before, else
    the newest adopted plan. The one rule for "the current plan" (Plan.objects.in_force, plans.services.plan_choice)."""
    adopted = sorted((p for p in plans if p.is_adopted), key=lambda p: p.year, reverse=True)
    return next((p for p in adopted if p.year <= today.year), adopted[0] if adopted else None)


class PlanQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(is_adopted=True)

    def in_force(self, today):
        """The adopted plan in force on `today` (plan_in_force), in one query."""
        return plan_in_force(self.adopted(), today)


class Plan(models.Model):
    """An employment plan (Beskæftigelsesplan) for one year.

    A plan is a draft, seen only by administrators, until an administrator marks it adopted with the
    date and the committee's decision reference (plans.services.plan_copy makes next year's draft).
    """

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    is_adopted = models.BooleanField(_("vedtaget"), default=False)
    adopted_on = models.DateField(_("vedtaget den"), null=True, blank=True)
    decision_reference = models.CharField(
        _("udvalgets beslutning"),
        max_length=300,
        blank=True,
        help_text=_("Fx mødet og punktet i dagsordenen, hvor udvalget vedtog planen."),
    )
    note = models.TextField(_("datanote"), blank=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

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

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_minister_goal_number")]
        verbose_name = _("ministermål")
        verbose_name_plural = _("ministermål")

    def __str__(self):
        return str(_("Ministermål %(number)s: %(title)s") % {"number": self.number, "title": self.title})


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
    owner = models.CharField(
        _("ansvarlig"),
        max_length=200,
        blank=True,
        help_text=_("Den enhed eller person, der har ansvaret for målet, fx Jobcenter Norddjurs, Ungeindsatsen."),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("forgænger"),
        help_text=_("Det tilsvarende mål i sidste års plan."),
    )

    history = HistoricalRecords()

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

    @property
    def shown_label(self) -> str:
        """The period in the reader's language, made from its code (a demo period's code is DEMO-<code>); the
        stored label, as the source wrote it, where the code is none the portal knows."""
        try:
            return parse_period(self.code.rpartition("-")[2]).label
        except PeriodError:
            return self.label


TOTAL_GROUP = "Ydelsesgrupper i alt"
# The benefit groups in the order of the minister's table (the committee introduction, as seeded); a group
# the table does not name comes after them, by name. Never the order of a file's rows.
BENEFIT_GROUPS = ("A-dagpenge mv.", "Sygedagpenge mv.", "Kontanthjælp mv.", TOTAL_GROUP)


def group_position(benefit_group: str) -> int:
    """A benefit group's place in the portal's area's table (BenchmarkResult.position)."""
    return BENEFIT_GROUPS.index(benefit_group) + 1 if benefit_group in BENEFIT_GROUPS else len(BENEFIT_GROUPS) + 1


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


class BenchmarkRank(models.Model):
    """One municipality's place on the minister's benchmark list for a period and benefit group.

    The import writes a row for every municipality in a national extract of table Y30R21, so the
    benchmark page can show the whole list; BenchmarkResult keeps the portal's own area's table.
    """

    period = models.ForeignKey(BenchmarkPeriod, on_delete=models.CASCADE, related_name="ranks")
    benefit_group = models.CharField(_("ydelsesgruppe"), max_length=100)
    area = models.CharField(_("kommune"), max_length=100)
    expected = models.PositiveIntegerField(_("forventet antal"))
    actual = models.PositiveIntegerField(_("faktisk antal"))
    rank = models.PositiveSmallIntegerField(_("placering på benchmarkranglisten"))

    class Meta:
        ordering = ["period", "benefit_group", "rank", "area"]
        constraints = [
            models.UniqueConstraint(fields=["period", "benefit_group", "area"], name="unique_benchmark_rank"),
        ]
        indexes = [models.Index(fields=["benefit_group", "area"], name="benchmark_rank_area")]
        verbose_name = _("placering på benchmarkranglisten")
        verbose_name_plural = _("placeringer på benchmarkranglisten")

    def __str__(self):
        return f"{self.period.code} {self.benefit_group} {self.area}: {self.rank}"

    @property
    def difference(self) -> int:
        return self.actual - self.expected


class BenefitFigure(models.Model):
    """One period's persons and full-time persons on a benefit in one area, from a Jobindsats table
    "Antal personer og fuldtidspersoner" (plans.core.benefits.FULL_TIME_TABLES): the total row of each
    dimension. The budget follow-up and the key figures read them; the import writes every area of a file,
    so a comparison group chosen later finds its figures."""

    table = models.CharField(_("tabel"), max_length=20)
    area = models.CharField(_("område"), max_length=100)
    period_code = models.CharField(_("periode"), max_length=20)
    period_start = models.DateField(_("periodens start"))
    period_end = models.DateField(_("periodens slut"))
    persons = models.DecimalField(_("antal personer"), max_digits=12, decimal_places=3, null=True, blank=True)
    full_time_persons = models.DecimalField(_("antal fuldtidspersoner"), max_digits=12, decimal_places=3)
    share_of_labour_force = models.DecimalField(
        _("fuldtidspersoner i pct. af arbejdsstyrken 16-66 år"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    share_of_population = models.DecimalField(
        _("fuldtidspersoner i pct. af befolkningen 16-66 år"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    data_import = models.ForeignKey(
        "DataImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sat af import"),
    )

    class Meta:
        ordering = ["table", "area", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["table", "area", "period_code"], name="unique_benefit_figure"),
        ]
        verbose_name = _("tal for fuldtidspersoner")
        verbose_name_plural = _("tal for fuldtidspersoner")

    def __str__(self):
        return f"{self.table} {self.area} {self.period_code}: {self.full_time_persons}"

    @property
    def period(self) -> Period:
        return parse_period(self.period_code)


class ComparisonGroup(models.Model):
    """Municipalities that administrators chose to compare the portal's area with on the benchmark."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    areas = models.JSONField(
        _("kommuner"), default=list, help_text=_("Kommunernes navne, som jobindsats.dk skriver dem.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sammenligningsgruppe")
        verbose_name_plural = _("sammenligningsgrupper")

    def __str__(self):
        return self.name

    def clean(self):
        unknown = sorted(set(self.areas) - MUNICIPALITIES)
        if unknown:
            raise ValidationError({"areas": _("Ukendte kommuner: %(names)s.") % {"names": ", ".join(unknown)}})
        if not self.areas:
            raise ValidationError({"areas": _("Vælg mindst én kommune.")})


FREQUENCY_MONTHS = {Goal.Frequency.QUARTERLY: 3, Goal.Frequency.HALF_YEARLY: 6, Goal.Frequency.YEARLY: 12}


class Indicator(models.Model):
    """What is measured for a goal, with its machine-readable target rule.

    Most goals have one indicator; a goal whose text names two measures (6.1: the fill rate
    and at least 50 job orders a month) has two. The status fields cache the evaluator's
    last verdict (plans.services.status keeps them current); the nightly refresh needs a
    stored status to mark data that has become too old.
    """

    class Unit(models.TextChoices):
        PERCENT = "pct", _("pct.")
        COUNT = "antal", _("antal")

    # The one list of an indicator's own fields, read by the rule form (plans.forms), plan authoring
    # (plans.plan_forms, the plan's XLSX in plans.services.plan_xlsx) and the copy into the next plan.
    RULE_FIELDS = (
        "rule",
        "threshold",
        "tolerance",
        "target_year",
        "baseline_year",
        "baseline_value",
        "strict",
        "higher_is_better",
        "risk_margin",
        "window_months",
        "rule_note",
    )
    DESCRIPTION_FIELDS = ("name", "unit", "comparison_label")
    AUTHORED_FIELDS = ("position", *DESCRIPTION_FIELDS, *RULE_FIELDS)  # the plan's XLSX has a column for each
    # A copy carries the local instruction too (edited in the plan editor; plans.imports.routes shows it).
    COPIED_FIELDS = (*AUTHORED_FIELDS, "local_instruction")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=1)
    name = models.CharField(_("indikator"), max_length=300)
    unit = models.CharField(_("enhed"), max_length=10, choices=Unit.choices)
    comparison_label = models.CharField(
        _("sammenligning"), max_length=100, blank=True, help_text=_("Fx Hele landet eller Forventet antal.")
    )
    rule = models.CharField(_("målregel"), max_length=20, choices=RuleKind.choices)
    threshold = models.DecimalField(_("grænseværdi"), max_digits=12, decimal_places=3, null=True, blank=True)
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Hvor langt fra sammenligningstallet værdien må ligge og stadig følge det."),
    )
    target_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("basisår"), null=True, blank=True)
    baseline_value = models.DecimalField(_("basisværdi"), max_digits=12, decimal_places=3, null=True, blank=True)
    strict = models.BooleanField(
        _("skarp grænse"), default=False, help_text=_("Målet er kun nået, hvis grænsen overgås.")
    )
    higher_is_better = models.BooleanField(_("højere er bedre"), default=True)
    risk_margin = models.DecimalField(
        _("risikomargin"),
        max_digits=12,
        decimal_places=3,
        default=0,
        help_text=_("Et mål, der er overskredet med højst så meget, vises som 'i risiko'."),
    )
    window_months = models.PositiveSmallIntegerField(_("gennemsnit over måneder"), null=True, blank=True)
    rule_note = models.TextField(
        _("bemærkning til målreglen"),
        blank=True,
        help_text=_("Fx hvor en tolerance er fastsat af forvaltningen, fordi planen ikke angiver den."),
    )
    local_instruction = models.TextField(
        _("sådan opgøres tallet lokalt"),
        blank=True,
        help_text=_("For tal, der ikke hentes fra Jobindsats: hvad tælles, hvorfra, og hvordan beregnes tallet."),
    )

    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.MISSING_DATA)
    status_reason = models.TextField(_("begrundelse"), blank=True)  # in Danish, as the audit shows it
    # The reason's message and parameters (plans.evaluation.Reason), to show it in the reader's language.
    status_reason_parts = models.JSONField(default=dict, blank=True, editable=False)
    evaluated_at = models.DateTimeField(_("vurderet"), null=True, blank=True)
    # The same measure in last year's plan: its observations extend this indicator's series, so a
    # re-used measure needs no re-import. predecessor_ids holds the whole chain, nearest first
    # (kept by save()), so pages read a chain's figures without a query per year.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("forgænger"),
    )
    predecessor_ids = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "position"]
        constraints = [models.UniqueConstraint(fields=["goal", "position"], name="unique_indicator_position")]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self):
        return f"{self.goal.code} {self.name}"

    def save(self, *args, **kwargs):
        if self.predecessor_id is None:
            self.predecessor_ids = []
        elif not self.predecessor_ids or self.predecessor_ids[0] != self.predecessor_id:
            earlier = Indicator.objects.filter(pk=self.predecessor_id).values_list("predecessor_ids", flat=True).first()
            self.predecessor_ids = [self.predecessor_id, *(i for i in earlier or [] if i != self.pk)]
        super().save(*args, **kwargs)

    def clean(self):
        needs = {
            RuleKind.SHARE_BY_YEAR: ["threshold", "target_year"],
            RuleKind.FOLLOW_COMPARISON: ["tolerance"],
            RuleKind.MAX_ABOVE_COMPARISON: ["threshold"],
            RuleKind.MONTHLY_AVERAGE: ["threshold", "window_months"],
            RuleKind.AT_LEAST: ["threshold"],
        }.get(self.rule, [])
        errors = {name: _("Skal udfyldes for denne målregel.") for name in needs if getattr(self, name) is None}
        if self.unit == self.Unit.PERCENT and self.threshold is not None and not 0 <= self.threshold <= 100:
            errors["threshold"] = _("En andel skal ligge mellem 0 og 100 %.")
        if errors:
            raise ValidationError(errors)

    @property
    def shown_reason(self) -> str:
        """The status's reason in the active language."""
        return Reason.shown(self.status_reason_parts, self.status_reason)

    @property
    def decimals(self) -> int:
        return 1 if self.unit == self.Unit.PERCENT else 0

    def target_rule(self) -> TargetRule:
        return TargetRule(
            kind=self.rule,
            frequency_months=FREQUENCY_MONTHS[self.goal.frequency],
            threshold=self.threshold,
            tolerance=self.tolerance,
            target_year=self.target_year,
            baseline_year=self.baseline_year,
            baseline_value=self.baseline_value,
            strict=self.strict,
            higher_is_better=self.higher_is_better,
            risk_margin=self.risk_margin,
            window_months=self.window_months,
        )


class Observation(models.Model):
    """One period's value of an indicator for one area, with the comparison value if any."""

    # No index of its own: the unique key (indicator, area, period_code) starts with it. No foreign-key
    # constraint in the database either: it checked each of a million imported rows at COMMIT (4 s). The
    # import locks the indicators it writes against deletion and refuses one that has gone
    # (plans/imports/applying.py); deleting an indicator deletes its observations through Django's
    # on_delete (tests/plans/imports/test_applying.py).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False, db_constraint=False
    )
    area = models.CharField(_("område"), max_length=100)
    period_code = models.CharField(_("periode"), max_length=20)
    period_start = models.DateField(_("periodens start"))
    period_end = models.DateField(_("periodens slut"))
    value = models.DecimalField(_("værdi"), max_digits=14, decimal_places=3)
    comparison = models.DecimalField(_("sammenligningstal"), max_digits=14, decimal_places=3, null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indtastet af"),
        db_index=False,  # a partial index below: few figures are typed in
        # No constraint: PostgreSQL would queue a check for each imported row (all NULL) until COMMIT
        # (0.6 s a million rows). Only hand edits set it, with the user who is logged in; deleting a user
        # sets it to NULL through Django's on_delete (tests/plans/imports/test_applying.py).
        db_constraint=False,
    )
    source_note = models.CharField(_("kilde"), max_length=300, blank=True)
    # No foreign-key constraint in the database: it would check each of a million imported rows at
    # COMMIT. The import writes only its own (locked) record's id, and deleting an import sets its
    # observations' data_import to NULL (Django's on_delete; tests/plans/imports/test_applying.py).
    data_import = models.ForeignKey(
        "DataImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("sat af import"),
        db_constraint=False,
    )
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    class Meta:
        ordering = ["indicator", "area", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "period_code"], name="unique_observation_period"),
        ]
        # The pages read an indicator's series through the unique key (indicator, area, ...); an index on
        # (area, indicator, period_end) saved them under a millisecond and cost an import 2.6 s a million rows.
        indexes = [
            models.Index(
                fields=["entered_by"], name="observation_entered_by", condition=models.Q(entered_by__isnull=False)
            ),
        ]
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")

    def __str__(self):
        return f"{self.indicator} {self.area} {self.period_code}"

    @property
    def period(self) -> Period:
        return parse_period(self.period_code)

    def clean_fields(self, exclude=None):
        # The dates follow from the code (2024K1 is stored as 2024Q1, 2024-01-01 to 2024-03-31).
        try:
            period = parse_period(self.period_code)
        except PeriodError as error:
            raise ValidationError({"period_code": str(error)}) from None
        self.period_code, self.period_start, self.period_end = period.code, period.start, period.end
        super().clean_fields(exclude)

    def clean(self):
        if self.indicator_id and self.indicator.unit == Indicator.Unit.PERCENT:
            for name in ("value", "comparison"):
                number = getattr(self, name)
                if number is not None and not 0 <= number <= 100:
                    raise ValidationError({name: _("En andel skal ligge mellem 0 og 100 %.")})
        elif self.value is not None and self.value < 0:
            raise ValidationError({"value": _("Et antal kan ikke være negativt.")})


class StatusChange(models.Model):
    """Each time an indicator's status changes: the goal's status over time."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="status_changes")
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    reason = models.TextField(_("begrundelse"), blank=True)  # in Danish
    reason_parts = models.JSONField(default=dict, blank=True, editable=False)  # as Indicator.status_reason_parts
    changed_at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        ordering = ["indicator", "-changed_at"]
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")

    def __str__(self):
        return f"{self.indicator_id} {self.get_status_display()} {self.changed_at:%Y-%m-%d}"

    @property
    def shown_reason(self) -> str:
        """The reason in the active language."""
        return Reason.shown(self.reason_parts, self.reason)


class GoalComment(models.Model):
    """The administration's remark on a goal for a follow-up period (forvaltningens bemærkning)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    period_code = models.CharField(_("opfølgningsperiode"), max_length=10)
    text = models.TextField(_("bemærkning"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("forfatter")
    )
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "-created_at"]
        verbose_name = _("forvaltningens bemærkning")
        verbose_name_plural = _("forvaltningens bemærkninger")

    def __str__(self):
        return f"{self.goal_id} {self.period_code}"

    @property
    def period(self) -> Period:
        return parse_period(self.period_code)
