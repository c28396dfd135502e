"""Figures that arrive by themselves: fetch each mapped table from the Jobindsats API and import it.

    fetch(tables=None, dry_run=False, scheduled=False) -> FetchResult

For every table an active mapping names (its table or its denominator's table) the fetch reads
the table's metadata, picks the periods the portal lacks (within JOBINDSATS_HISTORY_YEARS) and the
newest JOBINDSATS_REVISED_PERIODS (they may have been revised), asks for them, and feeds the
answer through the same import as an upload: service.create and service.process (validation,
atomic apply, history), then the goals' statuses are refreshed. The record's source is "api".

Nothing new, nothing changed: when every fetched period's rows (and the mappings that read them)
are as they were at the last import, no import record is made and the table's last result says
so; when an import changes no figure, its notes say so. A failure (no key, a refused key, a
timeout, 5xx, 429 after the retries, a changed column layout) becomes an import record "fejlet"
with a Danish reason, and one e-mail per run goes to the administrators. Everything that depends
on the API's details is in plans.imports.jobindsats.
"""

import hashlib
import json
import logging
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.core.benefits import FULL_TIME_TABLES
from plans.core.models import BenefitFigure, Observation
from plans.imports import jobindsats, service
from plans.imports.jobindsats import ApiError, LayoutChanged
from plans.imports.models import DataImport, ExtractMapping, RatioPart, TableMetadata
from plans.imports.reading import AREA_COLUMNS, PERIOD_COLUMNS
from plans.services import status
from portal.periods import PeriodError, parse_period
from portal.roles import Role

logger = logging.getLogger(__name__)

LOCK = "plans:jobindsats-fetch"
# When a table's periods come in several types, the first type here that the table offers is
# used, unless the portal already holds periods of the table of another type.
KIND_PREFERENCE = ("mat", "month", "quarter", "half", "year")


@dataclass
class TableResult:
    table: str
    state: str  # "imported", "unchanged", "failed", "planned" (dry run)
    message: str
    import_id: int | None = None
    touched: list[int] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # mappings that got no rows (validation._account)


@dataclass
class FetchResult:
    tables: list[TableResult] = field(default_factory=list)
    skipped: str = ""  # why nothing was tried (not configured, already running, nothing mapped)

    @property
    def failed(self) -> list[TableResult]:
        return [t for t in self.tables if t.state == "failed"]

    @property
    def warned(self) -> list[TableResult]:
        return [t for t in self.tables if t.warnings]


# --- which tables, which periods ------------------------------------------------------------------------


def _active_mappings():
    return list(ExtractMapping.objects.filter(active=True).select_related("indicator"))


def mapped_tables(mappings=None) -> list[str]:
    """Every table an active mapping reads: its own and its denominator's."""
    mappings = _active_mappings() if mappings is None else mappings
    return sorted({t.strip().upper() for m in mappings for t in (m.table, m.denominator_table) if t and t.strip()})


def fetched_tables(mappings=None) -> list[str]:
    """What a fetch brings by default: the mapped tables and the tables of full-time persons (plans.core.benefits)."""
    return sorted({*mapped_tables(mappings), *FULL_TIME_TABLES})


def _reads(mapping, table: str) -> list[tuple[str, str, dict]]:
    """(side, measure, filters) of the mapping that the table's file must hold; [] when it reads nothing from it."""
    own = mapping.table.upper()
    denominator = (mapping.denominator_table or mapping.table).upper()
    sides = []
    if own == table:
        sides.append(("value", mapping.measure, mapping.filters))
        if mapping.comparison_measure:
            sides.append(("comparison", mapping.comparison_measure, {}))
    if mapping.is_ratio and denominator == table:
        sides.append(("denominator", mapping.denominator_measure, mapping.denominator_filters))
    return sides


def held_periods(table: str, mappings) -> set[str]:
    """The period codes (canonical) of the table that every mapping reading it already has, for the portal's area."""
    area = settings.PORTAL_AREA
    held = None
    if table in FULL_TIME_TABLES:  # the budget's and the key figures' (plans.imports.benefit_figures)
        held = _canonical(BenefitFigure.objects.filter(table=table, area=area).values_list("period_code", flat=True))
    for mapping in mappings:
        if not _reads(mapping, table):
            continue
        across = mapping.is_ratio and (mapping.denominator_table or mapping.table).upper() != mapping.table.upper()
        if across:
            part = RatioPart.Part.NUMERATOR if mapping.table.upper() == table else RatioPart.Part.DENOMINATOR
            codes = RatioPart.objects.filter(mapping=mapping, part=part, area=area).values_list(
                "period_code", flat=True
            )
        else:
            codes = Observation.objects.filter(indicator_id=mapping.indicator_id, area=area).values_list(
                "period_code", flat=True
            )
        canonical = _canonical(codes)
        held = canonical if held is None else held & canonical
    return held or set()


def _canonical(codes) -> set[str]:
    canonical = set()
    for code in codes:
        try:
            canonical.add(parse_period(code).code)
        except PeriodError:
            continue
    return canonical


def plan_periods(available: dict[str, list[str]], held: set[str], revised: int, years: int) -> tuple[str, list[str]]:
    """The period type and the periods to ask for: those missing within `years` of the newest, and the newest `revised`."""
    typed = _readable_types(available)
    if not typed:
        return "", []
    period_type = _preferred_type(typed, held)
    return period_type, _wanted_periods(typed[period_type], held, revised, years)


def _readable_types(available: dict[str, list[str]]) -> dict[str, list]:
    """{period type: its (period, code) pairs, oldest first} for each type whose codes the portal reads as one kind."""
    typed = {}
    for period_type, codes in available.items():
        parsed = []
        for code in codes:
            try:
                parsed.append((parse_period(code), code))
            except PeriodError:
                continue
        if parsed and len({p.kind for p, _code in parsed}) == 1:
            typed[period_type] = sorted(parsed)
    return typed


def _preferred_type(typed: dict[str, list], held: set[str]) -> str:
    """The type of the periods the portal holds, else the first of KIND_PREFERENCE the table offers."""
    held_kinds = {parse_period(code).kind for code in held}
    order = {kind: i for i, kind in enumerate(KIND_PREFERENCE)}
    candidates = [t for t, parsed in typed.items() if parsed[0][0].kind in held_kinds] or list(typed)
    return min(candidates, key=lambda t: (order.get(typed[t][0][0].kind, 99), t))


def _wanted_periods(parsed: list, held: set[str], revised: int, years: int) -> list[str]:
    """The codes missing within `years` of the newest period, and the newest `revised`, oldest first."""
    newest = parsed[-1][0].start  # periods start on the first of a month, so the year can be moved
    cutoff = newest.replace(year=newest.year - years)
    wanted = {code for p, code in parsed if p.start > cutoff and p.code not in held}
    if revised > 0:
        wanted |= {code for _p, code in parsed[-revised:]}
    return [code for _p, code in parsed if code in wanted]


# --- columns and digests -----------------------------------------------------------------------------


def _find(columns, label: str) -> str | None:
    """A column by its full label or by the part after "<group>: ", as the import finds it."""
    wanted = " ".join(label.split()).casefold()
    for column in columns:
        name = " ".join(str(column).split()).casefold()
        if name == wanted or name.rsplit(": ", 1)[-1] == wanted:
            return column
    return None


def missing_columns(table: str, columns: list[str], mappings) -> list[str]:
    folded = {" ".join(str(c).split()).casefold() for c in columns}
    missing = []
    if not folded & set(AREA_COLUMNS):
        missing.append("Område")
    if not folded & set(PERIOD_COLUMNS):
        missing.append("Periode")
    for mapping in mappings:
        for _side, measure, filters in _reads(mapping, table):
            for label in (measure, *filters):
                if label and _find(columns, label) is None and label not in missing:
                    missing.append(label)
    return missing


def _fingerprint(table: str, mappings) -> str:
    reading = [
        [m.pk, m.indicator_id, _reads(m, table), m.denominator_adds_numerator, m.comparison_area]
        for m in mappings
        if _reads(m, table)
    ]
    return json.dumps(sorted(reading, key=lambda r: r[0]), ensure_ascii=False, sort_keys=True, default=str)


def period_digests(data: jobindsats.Data, fingerprint: str) -> dict[str, str]:
    """{period as the API writes it: digest of its rows (in any order) and of the mappings that read them}."""
    column = next((c for c in data.columns if c.strip().casefold() in PERIOD_COLUMNS), None)
    if column is None:
        return {}
    index = data.columns.index(column)
    by_period: dict[str, list[str]] = {}
    for row in data.rows:
        by_period.setdefault(str(row[index]).strip(), []).append(json.dumps(row, ensure_ascii=False, default=str))
    return {
        period: hashlib.sha256("\n".join([fingerprint, *sorted(rows)]).encode()).hexdigest()
        for period, rows in by_period.items()
    }


# --- the fetch -----------------------------------------------------------------------------------------


class Lease:
    """The lock that keeps two fetches apart: held for JOBINDSATS_LOCK_SECONDS and renewed by a thread every
    third of that while the fetch runs. A fetch that is killed (its worker lost, the container restarted)
    stops renewing, so its lock is gone within JOBINDSATS_LOCK_SECONDS, not hours later; until then the
    page says a fetch is running, and after that it does not."""

    def __init__(self):
        self.token = uuid.uuid4().hex
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew, name="jobindsats-lease", daemon=True)

    def acquire(self) -> bool:
        if not cache.add(LOCK, self.token, settings.JOBINDSATS_LOCK_SECONDS):
            return False
        self._renewer.start()
        return True

    def _renew(self) -> None:
        while not self._stop.wait(settings.JOBINDSATS_LOCK_SECONDS / 3):
            if cache.get(LOCK) != self.token:  # it ran out (the cache was out of reach): nothing to renew
                logger.warning("The Jobindsats fetch lost its lock")
                return
            cache.touch(LOCK, settings.JOBINDSATS_LOCK_SECONDS)

    def release(self) -> None:
        self._stop.set()
        self._renewer.join()
        if cache.get(LOCK) == self.token:
            cache.delete(LOCK)


def fetch(tables: list[str] | None = None, *, dry_run: bool = False, scheduled: bool = False) -> FetchResult:
    """Fetch and import the tables (default: every mapped table). Never raises for an API failure."""
    if scheduled and not jobindsats.key_source():
        logger.info("Jobindsats fetch skipped: no API key is configured")
        return FetchResult(skipped=_("Hentning fra Jobindsats er ikke slået til: der er ingen API-nøgle."))
    if dry_run:
        return _fetch(tables, dry_run)
    lease = Lease()
    if not lease.acquire():
        return FetchResult(skipped=_("En hentning fra Jobindsats kører allerede."))
    try:
        return _fetch(tables, dry_run)
    finally:
        lease.release()


def _fetch(tables, dry_run: bool) -> FetchResult:
    mappings = _active_mappings()
    wanted = sorted({t.strip().upper() for t in tables if t.strip()}) if tables else fetched_tables(mappings)
    if not wanted:
        return FetchResult(skipped=_("Ingen aktiv kobling nævner en Jobindsats-tabel, så der er intet at hente."))
    result = FetchResult()
    try:
        client = jobindsats.Client(jobindsats.read_key())
        try:
            listing = client.listing()
        except jobindsats.NotFound as error:  # the list is a nicety (titles, next update), not a must
            logger.warning("Jobindsats table list could not be read: %s", error.reason)
            listing = {}
        # Any other failure here (a refused key, a timeout, 5xx, 429, no connection) would meet every
        # table: it fails the run as a whole, with one record and one e-mail.
        for number, table in enumerate(wanted):
            try:
                result.tables.append(_fetch_table(client, table, listing.get(table), mappings, dry_run))
            except ApiError as error:
                if error.stops_run:
                    result.tables.extend(_failed_run(wanted[number:], error, dry_run))
                    break
                result.tables.append(_failed(table, error, dry_run))
    except ApiError as error:  # no key, or the table list failed: every table would fail alike
        result.tables.extend(_failed_run(wanted, error, dry_run))
    touched = sorted({i for t in result.tables for i in t.touched})
    if touched:
        status.refresh(touched)
    if (result.failed or result.warned) and not dry_run:
        notify_administrators(result.failed, result.warned)
    return result


def _metadata(table: str) -> TableMetadata:
    return TableMetadata.objects.get_or_create(table=table)[0]


def _fetch_table(client, table: str, listed, mappings, dry_run: bool) -> TableResult:
    """Ask for the periods the portal lacks (and the newest, which may be revised) and import the answer."""
    info = client.table(table)
    period_type, periods = plan_periods(
        info.periods,
        held_periods(table, mappings),
        settings.JOBINDSATS_REVISED_PERIODS,
        settings.JOBINDSATS_HISTORY_YEARS,
    )
    if dry_run:
        return _planned(table, period_type, periods)
    meta = _described(table, info, listed, period_type)
    if not periods:
        return _settled(
            meta, TableResult(table, "unchanged", _("Tabellen har ingen perioder, portalen kan læse; intet er hentet."))
        )
    data = client.data(info, period_type, periods)
    digests = period_digests(data, _fingerprint(table, mappings))
    if digests and all(meta.period_digests.get(p) == d for p, d in digests.items()):
        return _settled(meta, _nothing_new(table, periods))
    record = _import_record(table, data, periods)
    missing = missing_columns(table, data.columns, [m for m in mappings if _reads(m, table)])
    if missing:
        return _layout_changed(table, data.columns, missing, record.pk, meta)
    record, touched = service.process(record.pk)
    meta.last_import = record
    if record.state != DataImport.State.DONE:
        return _import_failed(meta, table, record, periods)
    message, warnings = _report_import(record, period_type, periods, len(data.rows))
    meta.period_digests = {**meta.period_digests, **digests}
    return _settled(meta, TableResult(table, "imported", message, record.pk, touched, periods, warnings))


def _planned(table: str, period_type: str, periods: list[str]) -> TableResult:
    """A dry run's result: the periods the fetch would ask for."""
    if not periods:
        return TableResult(table, "planned", _("Tabellen har ingen perioder, portalen kan læse."), periods=periods)
    shown = ", ".join(periods) if len(periods) <= 6 else f"{periods[0]}–{periods[-1]}"
    message = _("Ville hente %(n)s perioder af typen %(type)s: %(periods)s.") % {
        "n": len(periods),
        "type": period_type,
        "periods": shown,
    }
    return TableResult(table, "planned", message, periods=periods)


def _described(table: str, info, listed, period_type: str) -> TableMetadata:
    """The table's metadata with what the API says of it now (saved with the fetch's result)."""
    meta = _metadata(table)
    meta.title = info.title or (listed.title if listed else "") or meta.title
    meta.next_update = info.next_update or (listed.next_update if listed else None)
    meta.published_on = info.published_on or (listed.published_on if listed else None) or meta.published_on
    meta.latest_period = next((codes[-1] for t, codes in info.periods.items() if t == period_type and codes), "")
    meta.last_fetched_at = timezone.now()
    return meta


def _settled(meta: TableMetadata, result: TableResult) -> TableResult:
    """A fetch that went through: its message is the table's last result."""
    meta.last_failed, meta.last_result = False, result.message
    meta.save()
    return result


def _nothing_new(table: str, periods: list[str]) -> TableResult:
    """Every fetched period is as at the last import (digests match): no import record is made."""
    message = _(
        "Intet nyt: de %(n)s hentede perioder (%(first)s–%(last)s) er som ved sidste indlæsning. Ingen import er oprettet, og intet er ændret."
    ) % {"n": len(periods), "first": periods[0], "last": periods[-1]}
    return TableResult(table, "unchanged", message, periods=periods)


def _import_record(table: str, data: jobindsats.Data, periods: list[str]) -> DataImport:
    """The answer as a queued import of a JSON file, its source the API."""
    body = json.dumps({"columns": data.columns, "rows": data.rows}, ensure_ascii=False).encode()
    name = f"{table.lower()}_jobindsats_api_{periods[0]}-{periods[-1]}.json"
    with transaction.atomic():
        record = service.create(ContentFile(body, name=name), None, original_name=name, table=table)
        DataImport.objects.filter(pk=record.pk).update(source=DataImport.Source.API)
    return record


def _layout_changed(table: str, columns: list[str], missing: list[str], record_id: int, meta) -> TableResult:
    """The answer lacks columns the mappings read: its import fails, kept for the mapping editor."""
    error = LayoutChanged(
        _(
            "Jobindsats har ændret tabellen %(table)s: %(missing)s findes ikke i svaret. Svarets kolonner: %(found)s. "
            "Ret koblingerne (der kan oprettes en ny ud fra denne import), eller upload et udtræk."
        )
        % {
            "table": table,
            "missing": ", ".join(f"'{c}'" for c in missing),
            "found": ", ".join(f"'{c}'" for c in columns) or "ingen",
        }
    )
    service.fail(record_id, [error.reason])
    return _failed(table, error, False, record_id=record_id, meta=meta)


def _import_failed(meta: TableMetadata, table: str, record: DataImport, periods: list[str]) -> TableResult:
    reason = "; ".join(record.errors[:3]) or _("Importen fejlede.")
    meta.last_failed, meta.last_result = True, _("Fejlet: %(reason)s") % {"reason": reason}
    meta.save()
    logger.warning("Jobindsats fetch of %s: import #%s failed", table, record.pk)
    return TableResult(table, "failed", reason, record.pk, periods=periods)


def _report_import(record: DataImport, period_type: str, periods: list[str], rows: int) -> tuple[str, list[str]]:
    """The table's message and the import's warnings; the import's notes begin with what was fetched."""
    notes = [
        _("Hentet fra Jobindsats' API: %(n)s perioder af typen %(type)s (%(first)s–%(last)s), %(rows)s rækker.")
        % {"n": len(periods), "type": period_type, "first": periods[0], "last": periods[-1], "rows": rows}
    ]
    if record.observations_changed == 0 and RatioPart.objects.filter(data_import=record).exists():
        notes.append(
            _("Tabellens tal er gemt som den ene del af en brøk; målenes tal beregnes, når den anden del er hentet.")
        )
        message = _("Gemt som del af en brøk: %(n)s perioder hentet (%(first)s–%(last)s), import #%(pk)s.")
    elif record.observations_changed == 0:
        notes.append(_("Intet nyt: hentningen ændrede ingen tal."))
        message = _("Intet nyt: %(n)s perioder hentet (%(first)s–%(last)s), ingen tal ændret (import #%(pk)s).")
    else:
        message = _("%(changed)s nye eller ændrede tal fra %(n)s perioder (%(first)s–%(last)s), import #%(pk)s.")
    message = message % {
        "n": len(periods),
        "first": periods[0],
        "last": periods[-1],
        "pk": record.pk,
        "changed": record.observations_changed,
    }
    warnings, _notes = service.split_notes(record.notes)
    if warnings:
        message += " " + _("Advarsel: %(warnings)s") % {"warnings": " ".join(warnings)}
    DataImport.objects.filter(pk=record.pk).update(notes=[*notes, *record.notes])
    return message, warnings


def _failed_record(table: str, reason: str) -> DataImport:
    name = f"Jobindsats API: {table}" if table else "Jobindsats API"
    return DataImport.objects.create(
        original_name=name,
        table=table,
        checksum="",
        size=0,
        source=DataImport.Source.API,
        state=DataImport.State.FAILED,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        errors=[reason],
    )


def _failed(table: str, error: ApiError, dry_run: bool, record_id: int | None = None, meta=None) -> TableResult:
    logger.warning("Jobindsats fetch of %s failed: %s", table, error.reason)
    if dry_run:
        return TableResult(table, "failed", error.reason)
    if record_id is None:
        record_id = _failed_record(table, error.reason).pk
    meta = meta or _metadata(table)
    meta.last_fetched_at, meta.last_failed, meta.last_import_id = timezone.now(), True, record_id
    meta.last_result = _("Fejlet: %(reason)s") % {"reason": error.reason}
    meta.save()
    return TableResult(table, "failed", error.reason, record_id)


def _failed_run(tables: list[str], error: ApiError, dry_run: bool) -> list[TableResult]:
    """A failure that every table would meet (no key, a refused key): one import record for the run."""
    logger.warning("Jobindsats fetch stopped: %s", error.reason)
    if dry_run:
        return [TableResult(t, "failed", error.reason) for t in tables]
    record = _failed_record("", error.reason)
    now = timezone.now()
    for table in tables:
        meta = _metadata(table)
        meta.last_fetched_at, meta.last_failed, meta.last_import = now, True, record
        meta.last_result = _("Fejlet: %(reason)s") % {"reason": error.reason}
        meta.save()
    results = [TableResult(t, "failed", error.reason, record.pk) for t in tables]
    return results


# --- telling the administrators ------------------------------------------------------------------------


def administrator_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR.group_name)).distinct()
    return sorted(set(users.values_list("email", flat=True)))


def notify_administrators(failures: list[TableResult], warned: list[TableResult] = ()) -> bool:
    """One e-mail for the run's failures and warnings; a mail server that is down is logged, never raised."""
    recipients = administrator_emails()
    if not recipients:
        logger.warning("Jobindsats fetch failed, and no active administrator has an e-mail address")
        return False
    reasons = {}
    for failure in failures:  # a run-wide failure is one reason for many tables
        reasons.setdefault((failure.message, failure.import_id), []).append(failure.table)
    lines = []
    if failures:
        lines += [
            _("Hentningen af tal fra Jobindsats' API fejlede. Tallene på portalen er ikke ændret for disse tabeller."),
            "",
        ]
    for (reason, import_id), tables in reasons.items():
        lines.append(
            _("Tabel %(tables)s (import #%(pk)s): %(reason)s")
            % {"tables": ", ".join(tables), "pk": import_id, "reason": reason}
        )
    if warned:
        lines += [
            *([""] if failures else []),
            _("Disse tabeller er hentet og indlæst, men en kobling fik ingen rækker, så dens tal er ikke ændret:"),
            "",
        ]
        for result in warned:
            for warning in result.warnings:
                lines.append(
                    _("Tabel %(tables)s (import #%(pk)s): %(reason)s")
                    % {"tables": result.table, "pk": result.import_id, "reason": warning}
                )
    lines += ["", _("Se siden Dataimport → Jobindsats' API (/dataimport/api/). Tal kan stadig uploades som filer.")]
    subject = (
        _("Hentning fra Jobindsats fejlede") if failures else _("Hentning fra Jobindsats: en kobling fik ingen tal")
    )
    try:
        send_mail(subject, "\n".join(lines), None, recipients)
    except Exception:  # the mail server: a failed fetch must still be recorded
        logger.warning("Could not e-mail the administrators about a failed Jobindsats fetch", exc_info=True)
        return False
    return True


# --- what the pages show ---------------------------------------------------------------------------


def next_update(tables) -> date | None:
    """The soonest date Jobindsats said it will publish new figures for any of these tables (one query)."""
    dates = TableMetadata.objects.filter(table__in=[t.upper() for t in tables], next_update__isnull=False).values_list(
        "next_update", flat=True
    )
    return min(dates, default=None)


# --- what the administrators' page shows ------------------------------------------------------------


def next_scheduled_run(now: datetime | None = None) -> datetime | None:
    """When beat next starts the fetch (from CELERY_BEAT_SCHEDULE), in local time."""
    entry = settings.CELERY_BEAT_SCHEDULE.get("fetch-jobindsats")
    if not entry:
        return None
    now = timezone.localtime(now)
    schedule = entry["schedule"]
    hour, minute = min(schedule.hour), min(schedule.minute)
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + timedelta(days=1)


@dataclass
class TableRow:
    table: str
    mappings: int
    meta: TableMetadata | None


def overview() -> dict:
    mappings = _active_mappings()
    tables = mapped_tables(mappings)
    metas = {m.table: m for m in TableMetadata.objects.all()}
    rows = [TableRow(t, sum(1 for m in mappings if _reads(m, t)), metas.get(t)) for t in tables]
    return {
        "key_source": jobindsats.key_source(),
        "base_url": settings.JOBINDSATS_API_URL,
        "next_run": next_scheduled_run() if jobindsats.key_source() else None,
        "revised": settings.JOBINDSATS_REVISED_PERIODS,
        "history_years": settings.JOBINDSATS_HISTORY_YEARS,
        "rows": rows,
        "running": cache.get(LOCK) is not None,
    }
