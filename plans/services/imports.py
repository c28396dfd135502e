"""Importing jobindsats.dk extracts: validate every row with pandas, then write all or nothing.

    create(uploaded file, user) -> DataImport     an upload becomes an import record, queued
    process(import_id)                            read, validate, apply (the Celery task's body)

A failed import writes no observation. Applying the same values again changes nothing; a newer
extract for a period replaces the values and the replaced ones go to ObservationChange.
"""

import csv
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from plans import areas
from plans.models import BenchmarkPeriod, BenchmarkResult, DataImport, ExtractMapping, Indicator, Observation, ObservationChange
from plans.periods import PeriodError, parse_period
from plans.services.extracts import ROW, Extract, ExtractError, read_extract

logger = logging.getLogger(__name__)

MISSING = {"", "..", "-", "–", "x"}  # how jobindsats.dk and Excel write "no value"
NUMBER = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"  # Danish: 1.234,5
MAX_ERRORS = 200
CHUNK_ROWS = 100_000
BENCHMARK_PREFIX = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "
RANK_COLUMN = "Placering på benchmarkranglisten"
COLUMNS = ["indicator_id", "area", "period_code", "period_start", "period_end", "value", "comparison"]


class ImportErrors(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages


@dataclass
class Prepared:
    rows: pd.DataFrame  # COLUMNS, one row per observation
    rows_read: int
    rows_imported: int
    notes: list[str] = field(default_factory=list)
    benchmark: list[dict] = field(default_factory=list)


# --- reading numbers and periods -------------------------------------------------------------


def _distinct(series: pd.Series, function) -> pd.Series:
    """Apply a Series -> Series function to the distinct values only, then spread the result.

    Extracts repeat few values (98 areas, a few periods and groups, share values), so this
    turns a million string operations into thousands.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = function(pd.Series([*uniques, None], dtype=object)).to_numpy()
    return pd.Series(mapped[codes], index=series.index)  # code -1 (missing) takes the appended None


def _parse_distinct(column: pd.Series) -> pd.DataFrame:
    is_text = column.map(type).eq(str)
    text = column.where(is_text).astype("string").str.strip()
    missing = (is_text & text.isin(MISSING)).fillna(False) | column.isna()
    valid_text = text.str.fullmatch(NUMBER).fillna(False)
    from_text = pd.to_numeric(text.where(valid_text).str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    from_numbers = pd.to_numeric(column.where(~is_text & ~column.isna()), errors="coerce")
    values = from_text.astype("float64").fillna(from_numbers.astype("float64"))
    return pd.DataFrame({"value": values, "missing": missing.astype(bool), "invalid": (~missing & values.isna()).astype(bool)})


def parse_numbers(column: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers as float, missing mask, invalid mask). Text is read the Danish way (1.234,5);
    numbers that are already numbers (JSON, XLSX) are taken as they are."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    parsed = _parse_distinct(pd.Series([*uniques, None], dtype=object))
    take = lambda name, dtype: pd.Series(parsed[name].to_numpy()[codes], index=column.index, dtype=dtype)  # noqa: E731
    return take("value", "float64"), take("missing", bool), take("invalid", bool)


def _periods(codes: pd.Series) -> tuple[dict, dict]:
    """Parse each distinct period code once: ({code: Period}, {code: error message})."""
    parsed, failed = {}, {}
    for code in codes.dropna().unique():
        try:
            parsed[code] = parse_period(str(code))
        except PeriodError as error:
            failed[code] = str(error)
    return parsed, failed


def _fmt(value) -> str:
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


# --- mapping the extract onto indicators ---------------------------------------------------------


def _find_column(columns, label: str) -> str | None:
    """A mapping names a column by its full label or by the part after "<group>: "."""
    wanted = " ".join(label.split()).casefold()
    for column in columns:
        name = " ".join(str(column).split()).casefold()
        if name == wanted or name.rsplit(": ", 1)[-1] == wanted:
            return column
    return None


class _Collector:
    def __init__(self):
        self.errors: list[str] = []
        self.error_count = 0

    def add(self, rows: pd.Series, column: str, cells: pd.Series, problem: Callable[[str], str]) -> None:
        self.error_count += len(rows)
        for row, cell in zip(rows.head(MAX_ERRORS - len(self.errors)), cells):
            self.errors.append(f"Række {row}, kolonne '{column}': {problem(_fmt(cell))}")

    def result(self) -> list[str]:
        extra = self.error_count - len(self.errors)
        return self.errors + ([f"… og {extra} fejl mere."] if extra > 0 else [])


def prepare(extract: Extract, mappings: list[ExtractMapping], progress: Callable[[int], None] = lambda n: None) -> Prepared:
    frame, area_col, period_col = extract.frame, extract.area_column, extract.period_column
    frame = frame.assign(**{
        area_col: _distinct(frame[area_col], areas.normalise),
        period_col: _distinct(frame[period_col], lambda s: s.astype(str).str.strip()),
    })  # fmt: skip
    errors = _Collector()
    used_columns = {area_col, period_col, ROW}
    active = []
    for mapping in mappings:
        measure = _find_column(frame.columns, mapping.measure)
        if measure is None:
            continue
        filters = {_find_column(frame.columns, k): v for k, v in mapping.filters.items()}
        comparison = _find_column(frame.columns, mapping.comparison_measure) if mapping.comparison_measure else None
        if None in filters or (mapping.comparison_measure and comparison is None):
            missing = [k for k, c in zip(mapping.filters, filters) if c is None] + ([mapping.comparison_measure] if comparison is None and mapping.comparison_measure else [])
            raise ImportErrors([f"Kolonnen '{missing[0]}', som koblingen '{mapping}' bruger, findes ikke i filen."])
        used_columns |= {measure, *filters, *([comparison] if comparison else [])}
        active.append((mapping, measure, filters, comparison))
    if not active:
        unmapped = ", ".join(f"'{c}'" for c in frame.columns if c not in used_columns)
        raise ImportErrors([
            "Ingen af filens målinger er koblet til en indikator, så intet er indlæst. "
            f"Filens målinger: {unmapped}. En administrator kan oprette koblingen under Dataimport → Koblinger."
        ])  # fmt: skip
    notes = []
    benchmark_columns = _benchmark_columns(frame)
    if all(benchmark_columns):
        used_columns |= set(benchmark_columns)
    unmapped = [c for c in frame.columns if c not in used_columns and c not in _dimension_columns(frame, used_columns)]
    if unmapped:
        notes.append("Kolonner uden kobling blev ikke indlæst: " + ", ".join(f"'{c}'" for c in unmapped) + ".")

    periods, bad_periods = _periods(frame[period_col])
    known = frame[area_col].isin(areas.KNOWN_AREAS)
    unplaced = frame[area_col].eq(areas.UNKNOWN)
    # Filters compare case-insensitively and without surrounding spaces: normalise each column once.
    folded = {c: _distinct(frame[c], lambda s: s.astype(str).str.strip().str.casefold()) for _, _, f, _ in active for c in f}
    parts, imported_rows = [], pd.Series(False, index=frame.index)
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS]
        for mapping, measure, filters, comparison in active:
            wanted = pd.Series(True, index=chunk.index)
            for column, value in filters.items():
                wanted &= folded[column].loc[chunk.index] == value.strip().casefold()
            selected = chunk[wanted & ~unplaced.loc[chunk.index]]
            part = _observations(selected, mapping, measure, comparison, area_col, period_col, periods, bad_periods, known, errors)
            if part is not None:
                imported_rows.loc[part.index] = True
                parts.append(part)
        progress(min(start + CHUNK_ROWS, len(frame)))

    rows = pd.concat(parts) if parts else pd.DataFrame(columns=COLUMNS + [ROW])
    rows = _with_area_comparisons(rows, active)
    _check_duplicates(rows, errors)
    if errors.error_count:
        raise ImportErrors(errors.result())
    rows = rows.drop_duplicates(subset=["indicator_id", "area", "period_code"])
    benchmark = _benchmark_rows(frame, area_col, period_col, periods)
    return Prepared(rows[COLUMNS], len(frame), int(imported_rows.sum()), notes, benchmark)


def _dimension_columns(frame: pd.DataFrame, used: set) -> set:
    """Columns of text such as Køn or Ydelsesgrupper: they describe rows, they are not measures."""
    sample = frame.head(200)
    return {c for c in frame.columns if c not in used and not parse_numbers(sample[c])[0].notna().any()}


def _observations(selected, mapping, measure, comparison, area_col, period_col, periods, bad_periods, known, errors):
    if selected.empty:
        return None
    values, missing, invalid = parse_numbers(selected[measure])
    errors.add(selected.loc[invalid, ROW], measure, selected.loc[invalid, measure], lambda v: f"'{v}' er ikke et tal.")
    keep = ~missing & ~invalid
    unknown_area = keep & ~known.loc[selected.index]
    errors.add(selected.loc[unknown_area, ROW], area_col, selected.loc[unknown_area, area_col],
               lambda v: f"'{v}' er ikke en kendt kommune eller 'Hele landet'.")  # fmt: skip
    bad_period = keep & selected[period_col].isin(bad_periods)
    errors.add(selected.loc[bad_period, ROW], period_col, selected.loc[bad_period, period_col],
               lambda v: f"'{v}' er ikke en kendt periode (fx 2024M03, 2024Q1, 2024 eller 2024QMAT02).")  # fmt: skip
    indicator = mapping.indicator
    if indicator.unit == Indicator.Unit.PERCENT:
        out_of_range = keep & ((values < 0) | (values > 100))
        problem = "ligger uden for 0-100 %, men målingen er en andel."
    else:
        out_of_range = keep & (values < 0)
        problem = "er negativ, men målingen er et antal."
    errors.add(selected.loc[out_of_range, ROW], measure, values[out_of_range], lambda v: f"{v} {problem}")
    keep &= ~unknown_area & ~bad_period & ~out_of_range
    if comparison:
        comparisons, c_missing, c_invalid = parse_numbers(selected[comparison])
        c_invalid &= keep
        errors.add(selected.loc[c_invalid, ROW], comparison, selected.loc[c_invalid, comparison], lambda v: f"'{v}' er ikke et tal.")
    else:
        comparisons = pd.Series(np.nan, index=selected.index)
    kept = selected[keep]
    # Dates as ISO text: both databases take it, and it is written a million times faster than date objects.
    period = lambda value: _distinct(kept[period_col], lambda s: s.map(lambda c: value(periods[c]) if c in periods else None))  # noqa: E731
    return pd.DataFrame({
        "indicator_id": indicator.id,
        "area": kept[area_col],
        "period_code": period(lambda p: p.code),
        "period_start": period(lambda p: p.start.isoformat()),
        "period_end": period(lambda p: p.end.isoformat()),
        "value": values[keep].round(3),
        "comparison": comparisons[keep].round(3),
        ROW: kept[ROW],
        "_mapping": mapping.id,
    }, index=kept.index)  # fmt: skip


def _with_area_comparisons(rows: pd.DataFrame, active) -> pd.DataFrame:
    """Fill the comparison from another area's row of the same period (e.g. Hele landet)."""
    for mapping, *_ in active:
        if not mapping.comparison_area:
            continue
        mine = rows["_mapping"] == mapping.id
        reference = rows[mine & (rows["area"] == mapping.comparison_area)].drop_duplicates("period_code")
        lookup = reference.set_index("period_code")["value"]
        others = mine & (rows["area"] != mapping.comparison_area)
        rows.loc[others, "comparison"] = rows.loc[others, "period_code"].map(lookup).to_numpy()
    return rows


def _check_duplicates(rows: pd.DataFrame, errors: _Collector) -> None:
    key = ["indicator_id", "area", "period_code"]
    repeated = rows[rows.duplicated(subset=key, keep=False)]
    if repeated.empty:
        return
    for (_, area, period), group in repeated.groupby(key, sort=False):
        distinct = group[["value", "comparison"]].drop_duplicates()
        if len(distinct) > 1:
            errors.error_count += 1
            if len(errors.errors) < MAX_ERRORS:
                listed = " og ".join(str(r) for r in group[ROW])
                values = " og ".join(_fmt(v) for v in distinct["value"])
                errors.errors.append(f"Række {listed}: {area}, {period} står flere gange med forskellige værdier ({values}).")


def _benchmark_columns(frame: pd.DataFrame) -> tuple:
    """(expected, actual, rank, benefit group) columns of table Y30R21; None where missing."""
    return (
        _find_column(frame.columns, BENCHMARK_PREFIX + "Forventet antal"),
        _find_column(frame.columns, BENCHMARK_PREFIX + "Faktisk antal"),
        _find_column(frame.columns, RANK_COLUMN),
        _find_column(frame.columns, "Ydelsesgrupper"),
    )


def _benchmark_rows(frame: pd.DataFrame, area_col: str, period_col: str, periods: dict) -> list[dict]:
    """The minister's benchmark table (Y30R21) for the portal's area, when the extract has it."""
    expected, actual, rank, group = _benchmark_columns(frame)
    if None in (expected, actual, rank, group):
        return []
    mine = frame[frame[area_col] == settings.PORTAL_AREA]
    numbers = {c: parse_numbers(mine[c])[0] for c in (expected, actual, rank)}
    return [
        {"period": periods[p], "group": str(g).strip(), "expected": int(e), "actual": int(a), "rank": int(r)}
        for p, g, e, a, r in zip(mine[period_col], mine[group], numbers[expected], numbers[actual], numbers[rank])
        if p in periods and not (np.isnan(e) or np.isnan(a) or np.isnan(r))
    ]


# --- writing ---------------------------------------------------------------------------------------


def apply(data_import: DataImport, prepared: Prepared) -> int:
    """Write the prepared observations in one transaction; returns how many were new or changed."""
    table, now = f"import_rows_{data_import.pk}", timezone.now()
    observation, change = Observation._meta.db_table, ObservationChange._meta.db_table
    with transaction.atomic():
        # Lock the record: a redelivered task must not apply the same import twice.
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if locked.state == DataImport.State.DONE:
            return locked.observations_changed
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {table} (indicator_id bigint, area varchar(100), period_code varchar(20), "
                "period_start date, period_end date, value numeric(14,3), comparison numeric(14,3))"
            )
            _load(cursor, table, prepared.rows)
            stamp = connection.ops.adapt_datetimefield_value(now)
            distinct = "(o.value IS DISTINCT FROM t.value OR o.comparison IS DISTINCT FROM t.comparison)"
            cursor.execute(
                f"INSERT INTO {change} (observation_id, value, comparison, set_by_import_id, replaced_by_import_id, replaced_at) "
                f"SELECT o.id, o.value, o.comparison, o.data_import_id, %s, %s FROM {observation} o JOIN {table} t "
                "ON o.indicator_id = t.indicator_id AND o.area = t.area AND o.period_code = t.period_code "
                f"WHERE {distinct}",
                [data_import.pk, stamp],
            )
            cursor.execute(
                f"INSERT INTO {observation} AS o (indicator_id, area, period_code, period_start, period_end, value, comparison, "
                "source_note, data_import_id, updated_at) "
                f"SELECT indicator_id, area, period_code, period_start, period_end, value, comparison, %s, %s, %s FROM {table} t "
                "WHERE true "  # lets SQLite parse ON CONFLICT after a SELECT
                "ON CONFLICT (indicator_id, area, period_code) DO UPDATE SET value = excluded.value, "
                "comparison = excluded.comparison, source_note = excluded.source_note, "
                "data_import_id = excluded.data_import_id, updated_at = excluded.updated_at "
                "WHERE o.value IS DISTINCT FROM excluded.value OR o.comparison IS DISTINCT FROM excluded.comparison",
                [f"Import #{data_import.pk}: {data_import.original_name}"[:300], data_import.pk, stamp],
            )
            changed = max(cursor.rowcount, 0)
            cursor.execute(f"DROP TABLE {table}")
        _write_benchmark(prepared.benchmark)
        DataImport.objects.filter(pk=data_import.pk).update(
            state=DataImport.State.DONE, finished_at=timezone.now(), observations_changed=changed,
            rows_processed=prepared.rows_read, rows_imported=prepared.rows_imported,
            rows_skipped=prepared.rows_read - prepared.rows_imported, notes=data_import.notes + prepared.notes, errors=[],
        )  # fmt: skip
        indicator_ids = [int(i) for i in prepared.rows["indicator_id"].unique()]
        transaction.on_commit(lambda: _queue_refresh(indicator_ids))
    return changed


def _load(cursor, table: str, rows: pd.DataFrame) -> None:
    """Fill the temporary table: COPY on PostgreSQL, executemany on SQLite."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        rows.to_csv(buffer, index=False, header=False, quoting=csv.QUOTE_MINIMAL, na_rep="")  # empty is NULL in COPY
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", buffer)
    else:
        values = [
            (int(i), a, p, s, e, None if v != v else f"{v:.3f}", None if c != c else f"{c:.3f}")  # NaN != NaN
            for i, a, p, s, e, v, c in rows.itertuples(index=False, name=None)
        ]
        cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s, %s)", values)


def _write_benchmark(rows: list[dict]) -> None:
    for position, row in enumerate(rows, start=1):
        period = BenchmarkPeriod.objects.get_or_create(code=row["period"].code, defaults={"label": row["period"].label})[0]
        BenchmarkResult.objects.update_or_create(
            period=period, benefit_group=row["group"],
            defaults={"expected": row["expected"], "actual": row["actual"], "rank": row["rank"], "position": position},
        )  # fmt: skip


def _queue_refresh(indicator_ids: list[int]) -> None:
    from plans.tasks import refresh_statuses

    try:
        refresh_statuses.delay(indicator_ids)
    except Exception:  # the broker is down: the nightly refresh will catch up
        logger.warning("Could not queue a status refresh for indicators %s", indicator_ids, exc_info=True)


# --- the import record ---------------------------------------------------------------------------


def create(uploaded, user, original_name: str | None = None, enqueue: bool = True) -> DataImport:
    """Store an upload as a queued import; the task is queued once the transaction commits."""
    content = uploaded.read()
    checksum = hashlib.sha256(content).hexdigest()
    name = (original_name or getattr(uploaded, "name", "") or "upload").replace("/", "_").replace("\\", "_")[-200:]
    record = DataImport(original_name=name, checksum=checksum, size=len(content), uploaded_by=user)
    earlier = DataImport.objects.filter(checksum=checksum, state=DataImport.State.DONE).order_by("finished_at").first()
    if earlier:
        record.notes = [f"Den samme fil blev indlæst i import #{earlier.pk} den {timezone.localtime(earlier.finished_at):%d.%m.%Y %H.%M}; tal, der er uændrede, ændres ikke."]
    record.file.save(name, ContentFile(content), save=False)
    record.save()
    if enqueue:
        transaction.on_commit(lambda: queue(record.pk))
    return record


def queue(import_id: int) -> None:
    from plans.tasks import run_import

    try:
        run_import.delay(import_id)
    except Exception:  # the broker is down: the import stays queued and requeue_waiting() retries it
        logger.warning("Could not queue import %s; it stays queued", import_id, exc_info=True)


def process(import_id: int) -> DataImport:
    """Read, validate and apply one import. Safe to run twice; transient database errors propagate for a retry."""
    claimed = (
        DataImport.objects.filter(pk=import_id)
        .exclude(state__in=[DataImport.State.DONE, DataImport.State.FAILED])
        .update(state=DataImport.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, rows_processed=0)
    )
    record = DataImport.objects.get(pk=import_id)
    if not claimed:
        return record
    try:
        with record.file.open("rb") as handle:
            raw = handle.read()
        extract = read_extract(raw)
        DataImport.objects.filter(pk=import_id).update(rows_total=len(extract.frame))
        mappings = list(ExtractMapping.objects.filter(active=True).select_related("indicator"))
        prepared = prepare(extract, mappings, lambda n: DataImport.objects.filter(pk=import_id).update(rows_processed=n))
        apply(record, prepared)
    except ExtractError as error:
        _fail(import_id, [str(error)])
    except ImportErrors as error:
        _fail(import_id, error.messages)
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Import %s failed unexpectedly", import_id)
        _fail(import_id, ["Der opstod en uventet fejl under indlæsningen. Fejlen er logget; kontakt IT, hvis den gentager sig."])
    return DataImport.objects.get(pk=import_id)


def _fail(import_id: int, errors: list[str]) -> None:
    DataImport.objects.filter(pk=import_id).update(state=DataImport.State.FAILED, finished_at=timezone.now(), errors=errors)


def requeue_waiting(queued_minutes: int = 5, stalled_minutes: int = 30) -> int:
    """Queue imports that were never picked up (broker down at upload) or whose worker died mid-way.

    Running twice is harmless: process() skips a finished import, and the write locks the record.
    """
    now = timezone.now()
    stalled = DataImport.objects.filter(state=DataImport.State.QUEUED, uploaded_at__lt=now - timedelta(minutes=queued_minutes)) | (
        DataImport.objects.filter(state=DataImport.State.RUNNING, started_at__lt=now - timedelta(minutes=stalled_minutes))
    )
    ids = list(stalled.values_list("pk", flat=True))
    for pk in ids:
        queue(pk)
    return len(ids)

