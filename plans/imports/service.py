"""The import's life: an upload becomes a record, a worker reads, validates and applies it.

    create(file, user, name, table) -> DataImport      stored and queued (the caller queues the task after commit)
    process(import_id) -> (DataImport, indicator ids)  read, validate, apply; the caller refreshes the statuses
    waiting() -> import ids                            imports that were never picked up or whose worker died

A running import holds a lease: it stamps heartbeat_at every HEARTBEAT_SECONDS while it reads (and
holds its record's row lock while it applies), so one whose process is gone (a killed worker, a
container restart, a command-line import that died) is claimed again after STALLED_AFTER.

Services return ids; the tasks and views schedule what comes next, so nothing here imports a task.
"""

import hashlib
import json
import logging
import math
import re
import time
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.core.benefits import FULL_TIME_TABLES
from plans.core.models import Indicator, Observation
from plans.imports import columns
from plans.imports.applying import apply
from plans.imports.models import DataImport, ExtractMapping, RatioPart
from plans.imports.reading import ExtractError, read_extract
from plans.imports.validation import (
    PART_COLUMNS,
    WARNING,
    ImportErrors,
    Indicators,
    Prepared,
    Route,
    prepare,
    ratio_observations,
)
from portal import bounded

logger = logging.getLogger(__name__)

UNEXPECTED = "Der opstod en uventet fejl under indlæsningen. Fejlen er logget; kontakt IT, hvis den gentager sig."
# NUL cannot be stored in PostgreSQL's jsonb or text; other control characters and lone surrogates
# (from JSON escapes) have no place in a message either.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
SAME_FILE = "Den samme fil blev indlæst i import #"  # the note on a file uploaded again
MAX_MESSAGE_CHARS = 1000
MAX_MESSAGES = 250
HEARTBEAT_SECONDS = 30
STALLED_AFTER = timedelta(minutes=2)  # four missed heartbeats


def timed_out_message() -> str:
    minutes = math.ceil(settings.IMPORT_TIME_LIMIT_SECONDS / 60)
    return (
        f"Importen blev stoppet efter {minutes} minutter uden at blive færdig, og ingen tal er ændret. "
        "Del udtrækket op i mindre filer (fx én pr. år), og upload dem hver for sig."
    )


def out_of_memory_message() -> str:
    return (
        f"Filen kræver mere hukommelse end importen må bruge ({settings.IMPORT_MAX_MEMORY_MB} MB), og ingen tal er "
        "ændret. Del udtrækket op i mindre filer (fx én pr. år), og upload dem hver for sig."
    )


def exhausted_message(attempts: int) -> str:
    return (
        f"Importen er forsøgt {attempts} gange uden at blive færdig, og den forsøges ikke igen; ingen tal er ændret. "
        "Filen er måske for stor eller beskadiget: hent udtrækket igen, eller del det op, og upload det på ny."
    )


def clean(text) -> str:
    """A message as it can be saved: no control characters, at most MAX_MESSAGE_CHARS long."""
    text = _UNPRINTABLE.sub("", str(text))
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def clean_all(messages) -> list[str]:
    return [clean(m) for m in list(messages)[:MAX_MESSAGES]]


def split_notes(notes: list[str]) -> tuple[list[str], list[str]]:
    """(warnings, other notes) of an import: a warning is a note that starts with WARNING (validation.prepare)."""
    return (
        [n.removeprefix(WARNING) for n in notes if n.startswith(WARNING)],
        [n for n in notes if not n.startswith(WARNING)],
    )


def notify_uploader(import_id: int) -> bool:
    """E-mail the uploader when their import failed or warned: an import of a large file ends after they
    have left its page. An API fetch tells the administrators itself (fetching.notify_administrators).
    A mail server that is down is logged, never raised: the import's record already says everything."""
    record = DataImport.objects.select_related("uploaded_by").get(pk=import_id)
    user = record.uploaded_by
    warnings, _notes = split_notes(record.notes)
    failed = record.state == DataImport.State.FAILED
    if record.source != DataImport.Source.UPLOAD or not (failed or warnings) or not (user and user.email):
        return False
    if failed:
        subject = _("Import #%(pk)s fejlede: %(name)s") % {"pk": record.pk, "name": record.original_name}
        lines = [_("Importen fejlede, og ingen tal er ændret:"), "", *record.errors]
    else:
        subject = _("Import #%(pk)s er indlæst med advarsler: %(name)s") % {
            "pk": record.pk,
            "name": record.original_name,
        }
        lines = [_("Importen er indlæst, men en kobling fik ingen rækker, så dens tal er ikke ændret:"), "", *warnings]
    lines += ["", _("Se importen på portalen under Dataimport, import #%(pk)s.") % {"pk": record.pk}]
    try:
        send_mail(subject, "\n".join(lines), None, [user.email])
    except Exception:  # the mail server
        logger.warning("Could not e-mail the uploader of import #%s", record.pk, exc_info=True)
        return False
    return True


def known_tables() -> set[str]:
    """The tables a file's name may name: those the mappings read and those of full-time persons (the budget's)."""
    mapped = {t.upper() for m in ExtractMapping.objects.values_list("table", "denominator_table") for t in m if t}
    return mapped | set(FULL_TIME_TABLES)


def create(uploaded, user, original_name: str | None = None, table: str = "") -> DataImport:
    """Store an upload as a queued import. The caller queues the task once the transaction commits."""
    content = uploaded.read()
    checksum = hashlib.sha256(content).hexdigest()
    name = (
        clean(original_name or getattr(uploaded, "name", "") or "upload").replace("/", "_").replace("\\", "_")[-200:]
        or "upload"
    )
    table = table.strip().upper() or columns.table_in_name(name, known_tables())
    record = DataImport(original_name=name, table=table, checksum=checksum, size=len(content), uploaded_by=user)
    earlier = DataImport.objects.filter(checksum=checksum, state=DataImport.State.DONE).order_by("finished_at").first()
    if earlier:
        when = timezone.localtime(earlier.finished_at)
        record.notes = [f"{SAME_FILE}{earlier.pk} den {when:%d.%m.%Y %H.%M}; uændrede tal ændres ikke."]
    record.file.save(name, ContentFile(content), save=False)
    record.save()
    return record


def process(import_id: int, *, mapped: bool = True) -> tuple[DataImport, list[int]]:
    """Read, validate and apply one import; returns it and the indicators whose figures it touched.

    Not `mapped`: no mapping reads the file (the demo imports its samples of full-time persons so, and
    leaves the goals' demo figures its own).

    Safe to run twice: a finished import is left as it is. Transient database errors propagate,
    so the task can retry; everything else ends the import as failed with a Danish reason. An
    import already tried IMPORT_MAX_ATTEMPTS times (its worker died or was killed each time) is
    not started again but failed, so a poison file is not redelivered forever.
    """
    now = timezone.now()
    claimed = DataImport.objects.filter(
        _claimable(now), pk=import_id, attempts__lt=settings.IMPORT_MAX_ATTEMPTS
    ).update(
        state=DataImport.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        rows_processed=0,
    )
    record = DataImport.objects.get(pk=import_id)
    if not claimed:
        # Another run holds a live lease (a redelivered message), or the attempts are used up.
        if not record.is_finished and not DataImport.objects.filter(_claimable(now), pk=import_id).exists():
            return record, []
        if not record.is_finished:
            logger.warning("Import %s failed after %s attempts", import_id, record.attempts)
            fail(import_id, [exhausted_message(record.attempts)])
            record = DataImport.objects.get(pk=import_id)
        return record, []
    touched = []
    mappings = list(ExtractMapping.objects.filter(active=True).select_related("indicator")) if mapped else []
    digest = mapping_digest(mappings, record.table)
    if _unchanged(record, digest):
        return DataImport.objects.get(pk=import_id), []
    try:
        with record.file.open("rb") as handle:
            raw = handle.read()
        routes = [Route.of(m) for m in mappings]
        # The reading and validation run in a child process with the memory and time limits; the
        # database is used only here, in the parent.
        read = bounded.run(
            _read_and_prepare,
            raw,
            routes,
            record.table,
            _indicators(),
            memory_mb=settings.IMPORT_MAX_MEMORY_MB,
            seconds=settings.IMPORT_TIME_LIMIT_SECONDS,
            tick=_Heartbeat(import_id),
        )
        del raw
        DataImport.objects.filter(pk=import_id).update(
            rows_total=read.rows, file_format=read.format, mapping_digest=digest, heartbeat_at=timezone.now()
        )
        if read.errors is not None:
            raise read.errors
        prepared = read.prepared
        prepared.notes = clean_all(prepared.notes)
        touched = apply(record, _with_ratios(prepared, [r for r in routes if r.is_ratio]))
    except ExtractError as error:
        fail(import_id, [str(error)])
    except ImportErrors as error:
        fail(import_id, error.messages)
    except (SoftTimeLimitExceeded, bounded.TimedOut):  # the task's time limit (an open transaction was rolled back)
        logger.warning("Import %s stopped at its time limit", import_id)
        fail(import_id, [timed_out_message()])
    except bounded.OutOfMemory:
        logger.warning("Import %s needed more than %s MB", import_id, settings.IMPORT_MAX_MEMORY_MB)
        fail(import_id, [out_of_memory_message()])
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Import %s failed unexpectedly", import_id)
        fail(import_id, [UNEXPECTED])
    return DataImport.objects.get(pk=import_id), touched


@dataclass
class _Read:
    format: str
    rows: int
    prepared: Prepared | None = None
    errors: ImportErrors | None = None  # the file was read, but its rows have errors


def _read_and_prepare(raw: bytes, routes: list[Route], table: str, indicators: Indicators) -> _Read:
    """In the child process (portal.bounded): read and validate, without the database."""
    extract = read_extract(raw)
    read = _Read(extract.format, len(extract.frame))
    try:
        read.prepared = prepare(extract, routes, table, indicators)
    except ImportErrors as error:
        read.errors = error
    return read


class _Heartbeat:
    """Called about once a second while the child reads: renews the import's lease every HEARTBEAT_SECONDS."""

    def __init__(self, import_id: int):
        self.import_id, self.last = import_id, time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self.last < HEARTBEAT_SECONDS:
            return
        self.last = time.monotonic()
        try:
            DataImport.objects.filter(pk=self.import_id, state=DataImport.State.RUNNING).update(
                heartbeat_at=timezone.now()
            )
        except DatabaseError:  # a missed beat costs at most a second run; the import goes on
            logger.warning("Could not renew the lease of import %s", self.import_id, exc_info=True)


def _claimable(now) -> Q:
    return Q(state=DataImport.State.QUEUED) | _stalled(now)


def _stalled(now) -> Q:
    """Running without a lease: no heartbeat for STALLED_AFTER (a record from before heartbeats: since it started)."""
    return Q(state=DataImport.State.RUNNING) & (
        Q(heartbeat_at__lt=now - STALLED_AFTER)
        | Q(heartbeat_at__isnull=True) & (Q(started_at__isnull=True) | Q(started_at__lt=now - STALLED_AFTER))
    )


def mapping_digest(mappings: list[ExtractMapping], table: str) -> str:
    """SHA-256 of what decides how a file becomes figures: its table, the active mappings and the template's keys."""
    fields = [f.attname for f in ExtractMapping._meta.concrete_fields]
    described = {
        "table": table,
        "mappings": sorted(([getattr(m, f) for f in fields] for m in mappings), key=lambda values: values[0]),
        "indicators": sorted(_indicators().by_key.items()),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode()).hexdigest()


def _unchanged(record: DataImport, digest: str) -> bool:
    """The same file was applied with the same mappings, and no figure has changed since: end it at once.

    Re-applying would change nothing; reading a large file only to find that out takes seconds.
    """
    earlier = (
        DataImport.objects.filter(checksum=record.checksum, mapping_digest=digest, state=DataImport.State.DONE)
        .exclude(pk=record.pk)
        .order_by("-finished_at")
        .first()
    )
    if earlier is None or Observation.objects.filter(updated_at__gt=earlier.finished_at).exists():
        return False
    when = timezone.localtime(earlier.finished_at)
    note = (
        f"{SAME_FILE}{earlier.pk} den {when:%d.%m.%Y %H.%M} med de samme koblinger, og ingen tal er ændret siden; "
        "filen er derfor ikke læst igen."
    )
    # This note says all that create()'s note on the same file said: one note, not two alike.
    kept = [n for n in record.notes if not n.startswith(SAME_FILE)]
    DataImport.objects.filter(pk=record.pk).update(
        state=DataImport.State.DONE,
        finished_at=timezone.now(),
        mapping_digest=digest,
        file_format=earlier.file_format,
        rows_total=earlier.rows_total,
        rows_processed=earlier.rows_processed,
        rows_imported=earlier.rows_imported,
        rows_skipped=earlier.rows_skipped,
        observations_changed=0,
        errors=[],
        # The earlier import's warnings hold for this file too: a mapping that got no rows still gets none.
        notes=clean_all([*(n for n in earlier.notes if n.startswith(WARNING)), *kept, note]),
    )
    return True


def _indicators() -> Indicators:
    """The keys the local template uses: "<goal code>-<position>"."""
    rows = Indicator.objects.values_list("id", "goal__major", "goal__minor", "position", "unit")
    return Indicators(
        {
            f"{major}.{minor}-{position}": (pk, unit == Indicator.Unit.PERCENT)
            for pk, major, minor, position, unit in rows
        }
    )


def _with_ratios(prepared: Prepared, ratio_routes: list[Route]) -> Prepared:
    """Shares whose parts this file brings, computed with the parts stored from earlier files."""
    if prepared.parts.empty:
        return prepared
    ids = [int(i) for i in prepared.parts["mapping_id"].unique()]
    stored = pd.DataFrame(
        RatioPart.objects.filter(mapping_id__in=ids).values_list(*PART_COLUMNS), columns=PART_COLUMNS
    ).astype({"value": "float64"})
    parts = pd.concat([stored, prepared.parts[PART_COLUMNS]]).drop_duplicates(
        subset=["mapping_id", "part", "area", "period_code"], keep="last"
    )
    ratios = ratio_observations(parts, [r for r in ratio_routes if r.id in ids])
    # Only the periods this file brings an input of (with their comparison areas); the others stand.
    ratios = ratios[ratios["period_code"].isin(prepared.parts["period_code"].unique())]
    prepared.rows = pd.concat([prepared.rows, ratios], ignore_index=True)
    return prepared


def fail(import_id: int, errors: list[str]) -> None:
    """End an import as failed; the messages are cleaned so that any text can be saved."""
    DataImport.objects.filter(pk=import_id).update(
        state=DataImport.State.FAILED, finished_at=timezone.now(), errors=clean_all(errors)
    )


def waiting(queued_minutes: int = 5) -> list[int]:
    """Imports that were never picked up (broker down at upload) or whose process is gone.

    A running import is stalled when its lease ran out (no heartbeat for STALLED_AFTER) and no one
    holds its row lock (applying.apply holds it while it writes, on PostgreSQL). One that has used
    its IMPORT_MAX_ATTEMPTS is failed here instead of being queued again.
    """
    now = timezone.now()
    queued = Q(state=DataImport.State.QUEUED, uploaded_at__lt=now - timedelta(minutes=queued_minutes))
    with transaction.atomic():
        stalled = list(
            DataImport.objects.select_for_update(skip_locked=True)
            .filter(queued | _stalled(now))
            .values_list("pk", "attempts")
        )
    ids = []
    for pk, attempts in stalled:
        if attempts >= settings.IMPORT_MAX_ATTEMPTS:
            logger.warning("Import %s failed after %s attempts", pk, attempts)
            fail(pk, [exhausted_message(attempts)])
        else:
            ids.append(pk)
    return ids
