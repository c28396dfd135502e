"""Import benchmark: a generated 1,000,000-row extract in the website's CSV format.

    python tests/benchmark/bench_import.py sqlite|postgres [--runs 3]

99 areas x 1,010 months x 10 benefit groups; each group is mapped to its own indicator, so
every row becomes an observation (compared with Hele landet). Each measurement runs in a
fresh process, so that its peak memory (max RSS) is its own; the import's peak is given for
both its processes (the parent that writes, the child that reads and validates, portal.bounded).
Beside the import it prints, from the same run, pandas.read_csv alone and (PostgreSQL) the bare
floor: pandas parses the file, and COPY puts its rows into an unlogged table without indexes,
nothing else; and what inserting the import's rows into a copy of the observation table (logged,
with its indexes) costs alone, which is what the table itself asks of any import. Then the
re-import of the unchanged file (which must end at once). With --runs N the floor and the import
alternate N times and the medians are printed.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, setup_django

EXTRACT = ROOT / "var" / "bench-extract-1m.csv"
GROUPS = [f"Ydelsesgruppe {n:02d}" for n in range(1, 11)]
MEASURE = "Andel med ordinære timer (pct.)"
MONTHS = 1010


def generate() -> int:
    from plans.core.areas import MUNICIPALITIES, NATIONAL

    areas = sorted(MUNICIPALITIES) + [NATIONAL]
    if not EXTRACT.exists():
        EXTRACT.parent.mkdir(exist_ok=True)
        with EXTRACT.open("w", encoding="utf-8") as out:
            out.write(f"Område;Periode;Ydelsesgrupper;Antal personer;{MEASURE}\n")
            for m in range(MONTHS):
                period = f"{1940 + m // 12}M{m % 12 + 1:02d}"
                for a, area in enumerate(areas):
                    for g, group in enumerate(GROUPS):
                        share = (a * 7 + m * 3 + g) % 1000
                        out.write(f"{area};{period};{group};{1000 + a};{share // 10},{share % 10}\n")
    return len(areas) * MONTHS * len(GROUPS)


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def measure_parse() -> dict:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(EXTRACT, sep=";", decimal=",", dtype={"Ydelsesgrupper": str})
    return {"rows": len(frame), "seconds": round(time.perf_counter() - started, 2), "peak_mb": round(peak_mb())}


def measure_import(engine: str) -> dict:
    from django.core.files import File
    from django.db import connection

    from plans.imports import service as imports
    from plans.models import DataImport, ExtractMapping, Indicator

    with connection.cursor() as cursor:  # the ORM's delete() would load a million rows into memory
        cursor.execute("DELETE FROM plans_observationchange")
        cursor.execute("DELETE FROM plans_observation WHERE data_import_id IS NOT NULL")
        if engine == "postgres":  # the previous run's million dead rows gone, as autovacuum leaves a real table
            cursor.execute("VACUUM ANALYZE plans_observation")
    ExtractMapping.objects.filter(table="BENCH").delete()
    indicators = list(Indicator.objects.filter(unit=Indicator.Unit.PERCENT).order_by("id")[: len(GROUPS)])
    for group, indicator in zip(GROUPS, indicators):
        ExtractMapping.objects.create(
            indicator=indicator,
            table="BENCH",
            measure=MEASURE,
            comparison_area="Hele landet",
            filters={"Ydelsesgrupper": group},
        )
    with EXTRACT.open("rb") as handle:
        record = imports.create(File(handle, name=EXTRACT.name), None)
    started = time.perf_counter()
    record, _ = imports.process(record.pk)
    seconds = time.perf_counter() - started
    assert record.state == DataImport.State.DONE, record.errors[:5]
    result = {
        "engine": engine,
        "rows": record.rows_read,
        "observations_written": record.observations_changed,
        "seconds": round(seconds, 1),
        "rows_per_s": round(record.rows_read / seconds),
        "peak_mb": round(peak_mb()),
        "child_peak_mb": round(peak_mb(resource.RUSAGE_CHILDREN)),  # the reading child, forked by the import
    }
    # The same file again, with the same mappings: it must end at once, changing nothing.
    with EXTRACT.open("rb") as handle:
        again = imports.create(File(handle, name=EXTRACT.name), None)
    started = time.perf_counter()
    again, _ = imports.process(again.pk)
    result["reimport_seconds"] = round(time.perf_counter() - started, 2)
    assert again.state == DataImport.State.DONE and again.observations_changed == 0, (again.state, again.errors[:5])
    if engine == "postgres":
        result["table_write_seconds"] = measure_table_write(record.pk)
    return result


def measure_table_write(import_id: int) -> float:
    """What writing the import's rows durably costs alone: the same rows INSERTed into a new copy of the
    observation table, logged and with its indexes (a primary key, the unique key, the import's link)."""
    from django.db import connection

    columns = "indicator_id, area, period_code, period_start, period_end, value, comparison, source_note, data_import_id, updated_at"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_table_write")
        cursor.execute("CREATE TABLE bench_import_table_write (LIKE plans_observation INCLUDING ALL)")
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO bench_import_table_write ({columns}) SELECT {columns} FROM plans_observation "
            "WHERE data_import_id = %s",
            [import_id],
        )
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_import_table_write")
    return round(seconds, 2)


def measure_floor() -> dict:
    """The bare floor of an import: pandas parses the file, and COPY puts its rows into an unlogged table
    without indexes. Nothing else: no Python formatting of a million rows, no checks, no logged table."""
    import pandas as pd
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_floor")
        # The columns as the file writes them (decimal comma): PostgreSQL reads the same rows pandas parsed.
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_import_floor (area text, period text, grp text, persons integer, share text)"
        )
        started = time.perf_counter()
        frame = pd.read_csv(EXTRACT, sep=";", decimal=",", dtype={"Ydelsesgrupper": str})
        parsed = time.perf_counter()
        with EXTRACT.open("rb") as handle:
            cursor.cursor.copy_expert(
                "COPY bench_import_floor FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER)", handle
            )
        copied = time.perf_counter()
        cursor.execute("SELECT count(*) FROM bench_import_floor")
        assert cursor.fetchone()[0] == len(frame)
        cursor.execute("DROP TABLE bench_import_floor")
    return {
        "rows": len(frame),
        "seconds": round(copied - started, 2),
        "parse_seconds": round(parsed - started, 2),
        "copy_seconds": round(copied - parsed, 2),
        "peak_mb": round(peak_mb()),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["sqlite", "postgres"])
    parser.add_argument(
        "what", nargs="?", choices=["parse", "floor", "import"], help="(a child process: one measurement)"
    )
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    engine = args.engine
    if args.what:  # a child process: one measurement
        if args.what == "parse":
            print(json.dumps(measure_parse()))
        else:
            setup_django(engine)
            print(json.dumps(measure_floor() if args.what == "floor" else measure_import(engine)))
        return
    setup_django(engine)
    rows = generate()

    def run(what):
        command = [sys.executable, __file__, engine, what]
        return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()[-1])

    parse = run("parse")
    floors, imports = [], []
    for _ in range(args.runs):  # alternating, so that a busy moment weighs on both
        if engine == "postgres":
            floors.append(run("floor"))
        imports.append(run("import"))
    floor = _median(floors) if floors else None
    result = _median(imports)
    runs = f", median of {args.runs} runs" if args.runs > 1 else ""
    print(f"import benchmark on {engine}: {rows:,} rows ({EXTRACT.stat().st_size / 1e6:.0f} MB CSV){runs}")
    print(
        f"  pandas.read_csv alone          {parse['seconds']:6.1f} s                       peak {parse['peak_mb']} MB"
    )
    if floor:
        print(
            f"  bare floor: parse + COPY into an unlogged table {floor['seconds']:5.2f} s "
            f"({floor['parse_seconds']:.2f} + {floor['copy_seconds']:.2f})  peak {floor['peak_mb']} MB"
        )
    print(
        f"  full import (validate+write)   {result['seconds']:6.1f} s  {result['rows_per_s']:>9,} rows/s  "
        f"peak {result['peak_mb']} MB (reading child {result['child_peak_mb']} MB)"
        f"  ({result['observations_written']:,} observations written)"
    )
    if floor:
        print(f"    {result['seconds'] / floor['seconds']:.1f}x the bare floor (target <= 5x, and <= 700 MB)")
        print(
            f"  its rows INSERTed alone into a copy of the observation table (logged, its indexes) "
            f"{result['table_write_seconds']:5.2f} s: {result['table_write_seconds'] / floor['seconds']:.1f}x the bare floor"
        )
    print(f"  re-import of the unchanged file {result['reimport_seconds']:5.2f} s (target <= 1 s)")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"import-{engine}.json").write_text(
        json.dumps({"parse": parse, "floor": floor, "import": result, "floors": floors, "imports": imports}, indent=2)
    )


def _median(results: list[dict]) -> dict:
    """Each figure's median over the runs (the lower middle one of an even number)."""
    return {
        key: statistics.median_low(r[key] for r in results) if isinstance(value, (int, float)) else value
        for key, value in results[0].items()
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
