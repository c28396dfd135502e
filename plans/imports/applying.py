"""Writing a prepared import: all of it in one transaction, or nothing.

Applying the same values again changes nothing; a newer extract for a period replaces the values
and the replaced ones go to ObservationChange, the one history of observation values.
"""

import csv
import io

import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from plans.imports.models import DataImport, ObservationChange, RatioPart
from plans.imports.validation import Prepared
from plans.models import BenchmarkPeriod, BenchmarkRank, BenchmarkResult, Observation


def apply(data_import: DataImport, prepared: Prepared) -> list[int]:
    """Write the prepared observations; returns the ids of the indicators the file touched."""
    table, now = f"import_rows_{data_import.pk}", timezone.now()
    observation, change = Observation._meta.db_table, ObservationChange._meta.db_table
    indicator_ids = sorted(int(i) for i in prepared.rows["indicator_id"].unique())
    with transaction.atomic():
        # Lock the record: a redelivered task must not apply the same import twice.
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if locked.state == DataImport.State.DONE:
            return indicator_ids
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
        _write_parts(data_import, prepared.parts)
        _write_benchmark(prepared.benchmark)
        DataImport.objects.filter(pk=data_import.pk).update(
            state=DataImport.State.DONE, finished_at=timezone.now(), observations_changed=changed,
            rows_processed=prepared.rows_read, rows_imported=prepared.rows_imported,
            rows_skipped=prepared.rows_read - prepared.rows_imported, notes=data_import.notes + prepared.notes, errors=[],
        )  # fmt: skip
    return indicator_ids


def _load(cursor, table: str, rows: pd.DataFrame) -> None:
    """Fill the temporary table: COPY on PostgreSQL, executemany on SQLite."""
    if rows.empty:
        return
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


def _write_parts(data_import: DataImport, parts: pd.DataFrame) -> None:
    """Keep both sides of a share whose parts come from separate tables (see RatioPart)."""
    RatioPart.objects.bulk_create(
        [
            RatioPart(mapping_id=int(m), part=p, area=a, period_code=c, value=f"{v:.3f}", data_import=data_import)
            for m, p, a, c, v in parts[["mapping_id", "part", "area", "period_code", "value"]].itertuples(index=False)
        ],
        update_conflicts=True, unique_fields=["mapping", "part", "area", "period_code"], update_fields=["value", "data_import"],
    )  # fmt: skip


def _write_benchmark(rows: list[dict]) -> None:
    """The portal's area's table (BenchmarkResult) and every municipality's place (BenchmarkRank)."""
    periods = {}
    for row in rows:
        code = row["period"].code
        if code not in periods:
            periods[code] = BenchmarkPeriod.objects.get_or_create(code=code, defaults={"label": row["period"].label})[0]
    mine = [row for row in rows if row["area"] == settings.PORTAL_AREA]
    for position, row in enumerate(mine, start=1):
        BenchmarkResult.objects.update_or_create(
            period=periods[row["period"].code], benefit_group=row["group"],
            defaults={"expected": row["expected"], "actual": row["actual"], "rank": row["rank"], "position": position},
        )  # fmt: skip
    BenchmarkRank.objects.bulk_create(
        [
            BenchmarkRank(period=periods[r["period"].code], benefit_group=r["group"], area=r["area"],
                          expected=r["expected"], actual=r["actual"], rank=r["rank"])  # fmt: skip
            # One row per key: PostgreSQL refuses to update the same row twice in one statement.
            for r in {(r["period"].code, r["group"], r["area"]): r for r in rows}.values()
        ],
        batch_size=1000, update_conflicts=True, unique_fields=["period", "benefit_group", "area"],
        update_fields=["expected", "actual", "rank"],
    )  # fmt: skip
