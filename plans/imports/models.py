"""The import's records: uploads, the mappings from extract columns to indicators, and the history
of replaced values. Registered through plans.models (app label "plans")."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A first filter only: what a file is, and how it is separated, is read from its content
# (plans.imports.reading), so a tab-separated .tsv or a semicolon .txt reads as a .csv does.
ALLOWED_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".xlsx", ".json", ".ndjson"}


def _import_file_name(instance, filename):
    # The uploaded name is never used on disk; it is kept for display only.
    suffix = Path(filename).suffix.lower()
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix if suffix in ALLOWED_SUFFIXES else ''}"


class DataImport(models.Model):
    """One uploaded extract or filled-in local template, and what became of it (plans.imports.service)."""

    class State(models.TextChoices):
        QUEUED = "i_koe", _("I kø")
        RUNNING = "koerer", _("Kører")
        DONE = "gennemfoert", _("Gennemført")
        FAILED = "fejlet", _("Fejlet")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload")
        API = "api", _("Jobindsats API")

    file = models.FileField(_("fil"), upload_to=_import_file_name)
    original_name = models.CharField(_("filnavn"), max_length=255)
    table = models.CharField(
        _("tabel"),
        max_length=20,
        blank=True,
        help_text=_("Jobindsats-tabellen, valgt ved upload eller læst af filnavnet."),
    )
    file_format = models.CharField(_("format"), max_length=60, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # The active mappings when the file was applied (plans.imports.service.mapping_digest): the same file
    # with the same mappings, and no figure changed since, is not applied again.
    mapping_digest = models.CharField(_("koblingernes SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("størrelse i bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploadet af"),
    )
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    # The lease of a running import (service.process renews it; service.waiting claims it back when it runs out).
    heartbeat_at = models.DateTimeField(_("sidste livstegn"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    rows_total = models.PositiveIntegerField(_("rækker i alt"), default=0)
    rows_processed = models.PositiveIntegerField(_("rækker behandlet"), default=0)
    rows_imported = models.PositiveIntegerField(_("rækker indlæst"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rækker sprunget over"), default=0)
    observations_changed = models.PositiveIntegerField(_("ændrede tal"), default=0)
    errors = models.JSONField(_("fejl"), default=list, blank=True)
    notes = models.JSONField(_("bemærkninger"), default=list, blank=True)
    source = models.CharField(_("kilde"), max_length=10, choices=Source.choices, default=Source.UPLOAD)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("dataimport")
        verbose_name_plural = _("dataimporter")

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def rows_read(self) -> int:
        return self.rows_imported + self.rows_skipped


class ExtractMapping(models.Model):
    """Which measure (column) of a jobindsats.dk table feeds which indicator.

    A row counts for the indicator when every filter matches (e.g. Ydelsesgrupper =
    Ydelsesgrupper i alt). The value is the measure itself or, with a denominator, a share in
    per cent: numerator / denominator, where the denominator may come from another table
    (5.1: ledighedsydelse / (fleksjob + ledighedsydelse)); parts that arrive in separate files
    wait in RatioPart until both are there. The comparison value comes from another column of
    the same row (the expected number beside the actual one) or from another area (Hele landet).
    """

    class Confidence(models.TextChoices):
        CONFIRMED = "bekraeftet", _("Bekræftet")
        INFERRED = "udledt", _("Udledt")
        ADMINISTRATOR = "administrator", _("Oprettet af en administrator")

    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="mappings", verbose_name=_("indikator")
    )
    table = models.CharField(
        _("tabel"),
        max_length=20,
        blank=True,
        help_text=_("Jobindsats-tabellen, fx Y30R21. Er den udfyldt, bruges koblingen kun på filer fra den tabel."),
    )
    measure = models.CharField(_("måling (kolonne)"), max_length=300)
    filters = models.JSONField(_("filtre"), default=dict, blank=True)
    denominator_table = models.CharField(
        _("nævnerens tabel"), max_length=20, blank=True, help_text=_("Tom: samme tabel som tælleren.")
    )
    denominator_measure = models.CharField(
        _("nævner (kolonne)"),
        max_length=300,
        blank=True,
        help_text=_("Udfyldt: værdien er en andel i procent, tæller / nævner × 100."),
    )
    denominator_filters = models.JSONField(_("nævnerens filtre"), default=dict, blank=True)
    denominator_adds_numerator = models.BooleanField(
        _("nævneren lægger tælleren til"),
        default=False,
        help_text=_("Fx ledighedsprocent: ledighedsydelse / (fleksjob + ledighedsydelse)."),
    )
    comparison_measure = models.CharField(_("sammenligning fra kolonne"), max_length=300, blank=True)
    comparison_area = models.CharField(_("sammenligning fra område"), max_length=100, blank=True)
    confidence = models.CharField(
        _("sikkerhed"), max_length=20, choices=Confidence.choices, default=Confidence.ADMINISTRATOR
    )
    source_text = models.CharField(
        _("kilde, som udvalget ser den"),
        max_length=300,
        blank=True,
        help_text=_("Fx 'Jobindsats.dk, tabel Y30R21: faktisk antal fuldtidspersoner'. Tom: tabel og kolonne."),
    )
    # For administrators only: where the route was found and how sure it is (never shown to members).
    note = models.TextField(_("bemærkning"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "measure"]
        verbose_name = _("kobling")
        verbose_name_plural = _("koblinger")

    def __str__(self):
        return f"{self.measure} → {self.indicator}"

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator_measure)

    @property
    def tables(self) -> set[str]:
        return {t for t in (self.table, self.denominator_table or self.table) if t}

    def clean(self):
        errors = self._contradictions()
        if self.indicator_id:
            errors |= self._comparison_errors(self.indicator)
            errors |= self._unit_errors(self.indicator)
        if errors:
            raise ValidationError(errors)

    def _contradictions(self) -> dict:
        """The mapping's own fields that contradict each other."""
        errors = {}
        if self.comparison_measure and self.comparison_area:
            errors["comparison_area"] = _(
                "Vælg enten en sammenligningskolonne eller et sammenligningsområde, ikke begge."
            )
        for name in ("filters", "denominator_filters"):
            value = getattr(self, name)
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                errors[name] = _("Filtre skal være par af kolonne og værdi.")
        if self.denominator_table and not self.table:
            errors["table"] = _("Angiv tællerens tabel, når nævneren kommer fra en anden tabel.")
        if self.denominator_adds_numerator and not self.denominator_measure:
            errors["denominator_adds_numerator"] = _("Kræver en nævner.")
        return errors

    def _comparison_errors(self, indicator) -> dict:
        """A rule on the same period last year takes no comparison; a rule that compares needs one."""
        from plans.evaluation import NEEDS_COMPARISON, RuleKind

        compared = self.comparison_measure or self.comparison_area
        if compared and indicator.rule in (RuleKind.INCREASE, RuleKind.DECREASE):
            return {
                "comparison_area" if self.comparison_area else "comparison_measure": _(
                    "Målreglen sammenligner med samme periode året før; en sammenligningsserie passer ikke til den. "
                    "Lad feltet være tomt."
                )
            }
        if not compared and indicator.rule in NEEDS_COMPARISON:
            return {
                "comparison_area": _(
                    "Målreglen sammenligner med '%(label)s': angiv en sammenligningskolonne eller et område."
                )
                % {"label": indicator.comparison_label or _("et sammenligningstal")}
            }
        return {}

    def _unit_errors(self, indicator) -> dict:
        """A ratio gives a share in per cent; a share read from a column of counts needs a denominator."""
        from plans.imports.validation import column_kind

        if self.is_ratio and indicator.unit != "pct":
            return {"denominator_measure": _("En brøk giver en andel i procent, men indikatoren er et antal.")}
        if not self.is_ratio and indicator.unit == "pct" and column_kind(self.measure) == "count":
            return {
                "denominator_measure": _(
                    "Kolonnen '%(measure)s' ligner et antal, men indikatoren er en andel i procent: angiv en nævner."
                )
                % {"measure": self.measure}
            }
        return {}


class RatioPart(models.Model):
    """One side of a share whose parts arrive in separate files (a ratio across two tables).

    When both parts of an area and period are known the share becomes an Observation; the
    parts stay, so a newer file for either table recomputes it.
    """

    class Part(models.TextChoices):
        NUMERATOR = "taeller", _("Tæller")
        DENOMINATOR = "naevner", _("Nævner")

    mapping = models.ForeignKey(ExtractMapping, on_delete=models.CASCADE, related_name="parts")
    part = models.CharField(max_length=10, choices=Part.choices)
    area = models.CharField(_("område"), max_length=100)
    period_code = models.CharField(_("periode"), max_length=20)
    value = models.DecimalField(_("værdi"), max_digits=14, decimal_places=3)
    data_import = models.ForeignKey(DataImport, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mapping", "part", "area", "period_code"], name="unique_ratio_part"),
        ]
        verbose_name = _("brøkdel")
        verbose_name_plural = _("brøkdele")

    def __str__(self):
        return f"{self.mapping_id} {self.part} {self.area} {self.period_code}"


class ObservationChange(models.Model):
    """A value that a newer import or an administrator replaced: the one history of observation values."""

    observation = models.ForeignKey("plans.Observation", on_delete=models.CASCADE, related_name="changes")
    value = models.DecimalField(_("tidligere værdi"), max_digits=14, decimal_places=3)
    comparison = models.DecimalField(_("tidligere sammenligningstal"), max_digits=14, decimal_places=3, null=True)
    set_by_import = models.ForeignKey(DataImport, on_delete=models.SET_NULL, null=True, related_name="+")
    replaced_by_import = models.ForeignKey(
        DataImport, on_delete=models.SET_NULL, null=True, related_name="replacements"
    )
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erstattet af"),
    )
    replaced_at = models.DateTimeField(_("erstattet"))

    class Meta:
        ordering = ["observation", "-replaced_at"]
        verbose_name = _("tidligere værdi")
        verbose_name_plural = _("tidligere værdier")

    def __str__(self):
        return f"{self.observation_id} {self.value} ({self.replaced_at:%Y-%m-%d})"


class TableMetadata(models.Model):
    """What the Jobindsats API last said about one table, and how the portal's last fetch of it went.

    Written by plans.imports.fetching; the key is never stored here or anywhere else in the database.
    """

    table = models.CharField(_("tabel"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=300, blank=True)
    latest_period = models.CharField(_("nyeste periode"), max_length=20, blank=True)
    published_on = models.DateField(_("senest udgivet"), null=True, blank=True)
    next_update = models.DateField(_("næste opdatering"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("sidst hentet"), null=True, blank=True)
    last_failed = models.BooleanField(_("sidste hentning fejlede"), default=False)
    last_result = models.TextField(_("resultat af sidste hentning"), blank=True)
    last_import = models.ForeignKey(
        DataImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sidste import")
    )
    # {period code: digest of its rows and of the mappings that read them}, as last imported: a fetch
    # whose periods all match brings nothing new and makes no import record.
    period_digests = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["table"]
        verbose_name = _("tabel fra Jobindsats")
        verbose_name_plural = _("tabeller fra Jobindsats")

    def __str__(self):
        return self.table
