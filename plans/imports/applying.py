"""Writing a prepared import: all of it in one transaction, or nothing.

Applying the same values again changes nothing; a newer extract for a period replaces the values
and the replaced ones go to ObservationChange, the one history of observation values.
"""

import csv
import io
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from plans.core.models import (
    BenchmarkPeriod,
    BenchmarkRank,
    BenchmarkResult,
    BenefitFigure,
    Indicator,
    Observation,
    group_position,
)
from plans.imports.models import DataImport, ObservationChange, RatioPart
from plans.imports.validation import ImportErrors, Prepared
from portal import cache


def apply(data_import: DataImport, prepared: Prepared) -> list[int]:
    """Write the prepared observations; returns the ids of the indicators the file touched."""
    indicator_ids = sorted(int(i) for i in prepared.rows["indicator_id"].unique())
    with transaction.atomic():
        # Lock the record: a redelivered task must not apply the same import twice.
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if locked.state == DataImport.State.DONE:
            return indicator_ids
        _lock_indicators(indicator_ids)
        with connection.cursor() as cursor:
            write = _write_postgresql if connection.vendor == "postgresql" else _write_sqlite
            changed = write(cursor, data_import, prepared.rows) if not prepared.rows.empty else 0
        _write_parts(data_import, prepared.parts)
        _write_benchmark(prepared.benchmark)
        _write_benefits(data_import, prepared.benefits)
        cache.bump()  # the observations were written with SQL, which sends no signals
        DataImport.objects.filter(pk=data_import.pk).update(
            state=DataImport.State.DONE,
            finished_at=timezone.now(),
            observations_changed=changed,
            rows_processed=prepared.rows_read,
            rows_imported=prepared.rows_imported,
            rows_skipped=prepared.rows_read - prepared.rows_imported,
            # Warnings first, so the import page and the fetch's e-mail show them before anything else.
            notes=prepared.warnings + data_import.notes + [n for n in prepared.notes if n not in prepared.warnings],
            errors=[],
        )
    return indicator_ids


def _lock_indicators(ids: list[int]) -> None:
    """Keep the file's indicators from being deleted until the import commits, and refuse one already gone.

    This is the check the observations' foreign key would make a million times (it has no constraint in
    the database, see Observation.indicator), made once per indicator. SQLite needs no row lock: its
    writers take turns.
    """
    if not ids:
        return
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Indicator._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(ids))}){lock}", ids
        )
        gone = set(ids) - {row[0] for row in cursor.fetchall()}
    if gone:
        raise ImportErrors(
            [
                "En indikator, som filens koblinger peger på, blev slettet, mens filen blev læst. "
                "Intet er indlæst; send filen igen."
            ]
        )


def _source(data_import: DataImport) -> str:
    return f"Import #{data_import.pk}: {data_import.original_name}"[:300]


def _write_postgresql(cursor, data_import: DataImport, rows: pd.DataFrame) -> int:
    """Stage the rows with a binary COPY, in key order; keep replaced values, update changed rows, insert new keys.

    The staged rows carry numbers only (indicator, area number, period number, value, comparison),
    the values already as numeric(14, 3), so PostgreSQL converts no float; the areas and periods,
    a few hundred at most, are joined in from two small tables. Staging in
    the unique key's order keeps the inserts into the indexes local. Changed rows are updated and
    new keys inserted in separate statements (an ON CONFLICT over every row costs a speculative
    insert each). Imports take a transaction-level lock, so two imports never race for a new key.
    """
    observation, change, pk = Observation._meta.db_table, ObservationChange._meta.db_table, data_import.pk
    raw, areas, periods = (f"import_{name}_{pk}" for name in ("raw", "areas", "periods"))
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPLY_LOCK])
    # For this transaction only: the joins below sort a million staged rows (in memory, not on disk), and
    # compiling them (JIT) costs more than it saves on statements that run once.
    cursor.execute("SET LOCAL work_mem = '128MB'")
    cursor.execute("SET LOCAL jit = off")
    # The planner needs the staged tables' sizes and rough spread, not fine histograms: a tenth of the sample.
    cursor.execute("SET LOCAL default_statistics_target = 10")
    for name in (raw, areas, periods):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {areas} (no integer, area varchar(100)) ON COMMIT DROP")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {periods} (no integer, code varchar(20), period_start date, period_end date) ON COMMIT DROP"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {raw} (indicator_id integer, area_no integer, period_no integer, value numeric(14,3), "
        "comparison numeric(14,3), has_comparison boolean) ON COMMIT DROP"
    )
    area_codes, area_names = pd.factorize(rows["area"], sort=True)
    period_codes, period_names = pd.factorize(rows["period_code"], sort=True)
    _, firsts = np.unique(period_codes, return_index=True)  # one row of each period, for its dates
    starts, ends = (rows[name].to_numpy()[firsts] for name in ("period_start", "period_end"))
    _copy_text(cursor, areas, list(enumerate(area_names)))
    _copy_text(cursor, periods, list(zip(range(len(period_names)), period_names, starts, ends)))
    # Key order (indicator, area, period) as far as Python's order of the names matches the database's.
    order = np.lexsort((period_codes, area_codes, rows["indicator_id"].to_numpy()))
    comparison = rows["comparison"].to_numpy(dtype="float64")[order]
    cursor.cursor.copy_expert(
        f"COPY {raw} FROM STDIN WITH (FORMAT binary)",
        io.BytesIO(
            _binary_copy(
                rows["indicator_id"].to_numpy()[order],
                area_codes[order],
                period_codes[order],
                rows["value"].to_numpy(dtype="float64")[order],
                comparison,
            )
        ),
        size=COPY_CHUNK,
    )
    for name in (raw, areas, periods):
        cursor.execute(f"ANALYZE {name}")
    # The staged rows as the observation table holds them, in the raw table's (key) order.
    staged = (
        "(SELECT r.indicator_id::bigint AS indicator_id, a.area, p.code AS period_code, p.period_start, p.period_end, "
        "r.value, CASE WHEN r.has_comparison THEN r.comparison END AS comparison "
        f"FROM {raw} r JOIN {areas} a ON a.no = r.area_no JOIN {periods} p ON p.no = r.period_no)"
    )
    # Rows whose value changed: the old values go to the history, the rows are updated (one join).
    cursor.execute(
        f"WITH old AS (SELECT o.id, o.value, o.comparison, o.data_import_id, t.value AS new_value, t.comparison AS new_comparison "
        f"FROM {observation} o JOIN {staged} t "
        "ON o.indicator_id = t.indicator_id AND o.area = t.area AND o.period_code = t.period_code "
        "WHERE o.value IS DISTINCT FROM t.value OR o.comparison IS DISTINCT FROM t.comparison), "
        f"kept AS (INSERT INTO {change} (observation_id, value, comparison, set_by_import_id, replaced_by_import_id, replaced_at) "
        "SELECT id, value, comparison, data_import_id, %s, %s FROM old) "
        f"UPDATE {observation} o SET value = old.new_value, comparison = old.new_comparison, source_note = %s, "
        "data_import_id = %s, updated_at = %s FROM old WHERE o.id = old.id",
        [pk, stamp, _source(data_import), pk, stamp],
    )
    changed = max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {observation} (indicator_id, area, period_code, period_start, period_end, value, comparison, "
        "source_note, data_import_id, updated_at) "
        f"SELECT indicator_id, area, period_code, period_start, period_end, value, comparison, %s, %s, %s FROM {staged} t "
        f"WHERE NOT EXISTS (SELECT FROM {observation} o "
        "WHERE o.indicator_id = t.indicator_id AND o.area = t.area AND o.period_code = t.period_code)",
        [_source(data_import), pk, stamp],
    )
    return changed + max(cursor.rowcount, 0)


# Imports apply one at a time (pg_advisory_xact_lock): a number of the portal's own, "UDVI" in ASCII.
APPLY_LOCK = 0x55445649
COPY_CHUNK = 1024 * 1024  # bytes sent per message of the binary COPY (psycopg2 sends 8 KB by default)
_COPY_HEADER, _COPY_TRAILER = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8, b"\xff\xff"


# numeric(14, 3) in COPY's binary form with four base-10000 digits, weights 2 to -1 (10^8 to 10^-4): room for
# every value below 10^12, and validation keeps them below 10^11. PostgreSQL drops the zero digits itself.
_NUMERIC = np.dtype(
    [("ndigits", ">i2"), ("weight", ">i2"), ("sign", ">u2"), ("dscale", ">u2"), ("digits", ">i2", (4,))]
)
_NUMERIC_NEGATIVE = 0x4000


def _binary_copy(indicators, area_codes, period_codes, values, comparisons) -> bytearray:
    """PostgreSQL's binary COPY format for the raw table: fixed-width rows built by numpy, no text per row."""
    count = len(values)
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("l1", ">i4"),
            ("indicator", ">i4"),
            ("l2", ">i4"),
            ("area", ">i4"),
            ("l3", ">i4"),
            ("period", ">i4"),
            ("l4", ">i4"),
            ("value", _NUMERIC),
            ("l5", ">i4"),
            ("comparison", _NUMERIC),
            ("l6", ">i4"),
            ("has_comparison", "u1"),
        ]
    )
    buffer = bytearray(len(_COPY_HEADER) + count * row.itemsize + len(_COPY_TRAILER))
    buffer[: len(_COPY_HEADER)], buffer[-len(_COPY_TRAILER) :] = _COPY_HEADER, _COPY_TRAILER
    data = np.frombuffer(buffer, dtype=row, count=count, offset=len(_COPY_HEADER))  # the rows, written in place
    data["fields"] = 6
    data["l1"] = data["l2"] = data["l3"] = 4
    data["l4"] = data["l5"] = _NUMERIC.itemsize
    data["l6"] = 1
    data["indicator"], data["area"], data["period"] = indicators, area_codes, period_codes
    missing = np.isnan(comparisons)
    _numeric(data["value"], values)
    _numeric(data["comparison"], np.where(missing, 0.0, comparisons))
    data["has_comparison"] = ~missing
    return buffer


def _numeric(target: np.ndarray, values: np.ndarray) -> None:
    """Write `values` (rounded to three decimals by validation) into `target`, an array of _NUMERIC."""
    thousandths = np.rint(np.abs(values) * 1000).astype(np.int64)
    whole, fraction = np.divmod(thousandths, 1000)
    target["ndigits"], target["weight"], target["dscale"] = 4, 2, 3
    target["sign"] = np.where((values < 0) & (thousandths > 0), _NUMERIC_NEGATIVE, 0)
    target["digits"] = np.stack([whole // 10**8, whole // 10**4 % 10**4, whole % 10**4, fraction * 10], axis=1)


def _copy_text(cursor, table: str, rows: list[tuple]) -> None:
    """A small table (a few hundred rows) through COPY's text format."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", buffer)


def _write_sqlite(cursor, data_import: DataImport, rows: pd.DataFrame) -> int:
    """SQLite (development and tests): a temporary table and one INSERT … ON CONFLICT over every row."""
    table, stamp = f"import_rows_{data_import.pk}", connection.ops.adapt_datetimefield_value(timezone.now())
    observation, change = Observation._meta.db_table, ObservationChange._meta.db_table
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (indicator_id bigint, area varchar(100), period_code varchar(20), "
        "period_start date, period_end date, value numeric(14,3), comparison numeric(14,3))"
    )
    values = [
        (int(i), a, p, s, e, None if v != v else f"{v:.3f}", None if c != c else f"{c:.3f}")  # NaN != NaN
        for i, a, p, s, e, v, c in rows.itertuples(index=False, name=None)
    ]
    cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s, %s)", values)
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
        [_source(data_import), data_import.pk, stamp],
    )
    changed = max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {table}")
    return changed


def _write_parts(data_import: DataImport, parts: pd.DataFrame) -> None:
    """Keep both sides of a share whose parts come from separate tables (see RatioPart)."""
    RatioPart.objects.bulk_create(
        [
            RatioPart(mapping_id=int(m), part=p, area=a, period_code=c, value=f"{v:.3f}", data_import=data_import)
            for m, p, a, c, v in parts[["mapping_id", "part", "area", "period_code", "value"]].itertuples(index=False)
        ],
        update_conflicts=True,
        unique_fields=["mapping", "part", "area", "period_code"],
        update_fields=["value", "data_import"],
    )


def _write_benchmark(rows: list[dict]) -> None:
    """The portal's area's table (BenchmarkResult) and every municipality's place (BenchmarkRank)."""
    periods = {}
    for row in rows:
        code = row["period"].code
        if code not in periods:
            with translation.override(settings.LANGUAGE_CODE):  # stored as the source writes it, whoever imports
                label = row["period"].label
            periods[code] = BenchmarkPeriod.objects.get_or_create(code=code, defaults={"label": label})[0]
    # The table's order is the minister's, not the file's: a file whose rows come in another order changes nothing.
    for row in (row for row in rows if row["area"] == settings.PORTAL_AREA):
        BenchmarkResult.objects.update_or_create(
            period=periods[row["period"].code],
            benefit_group=row["group"],
            defaults={
                "expected": row["expected"],
                "actual": row["actual"],
                "rank": row["rank"],
                "position": group_position(row["group"]),
            },
        )
    BenchmarkRank.objects.bulk_create(
        [
            BenchmarkRank(
                period=periods[r["period"].code],
                benefit_group=r["group"],
                area=r["area"],
                expected=r["expected"],
                actual=r["actual"],
                rank=r["rank"],
            )
            # One row per key: PostgreSQL refuses to update the same row twice in one statement.
            for r in {(r["period"].code, r["group"], r["area"]): r for r in rows}.values()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["period", "benefit_group", "area"],
        update_fields=["expected", "actual", "rank"],
    )


def _write_benefits(data_import: DataImport, rows: pd.DataFrame) -> None:
    """The full-time persons of every area and period in the file: a newer file's figures replace older ones."""
    numbers = ["persons", "full_time_persons", "share_of_labour_force", "share_of_population"]
    BenefitFigure.objects.bulk_create(
        [
            BenefitFigure(
                table=row["table"],
                area=row["area"],
                period_code=row["period_code"],
                period_start=row["period_start"],
                period_end=row["period_end"],
                data_import=data_import,
                **{name: None if pd.isna(row[name]) else Decimal(str(round(row[name], 3))) for name in numbers},
            )
            for row in rows.to_dict("records")
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["table", "area", "period_code"],
        update_fields=[*numbers, "period_start", "period_end", "data_import"],
    )
