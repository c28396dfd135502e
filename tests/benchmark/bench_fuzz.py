"""Fuzz benchmark: the hostile files of issues 11 and 22 through the importer, with the time and memory each takes.

    python tests/benchmark/bench_fuzz.py sqlite|postgres [name ...]

Each file is uploaded and processed (plans.imports.service.create + process, as the worker does;
a "plan-" file through plans.services.plan_xlsx.import_plan, as the plan import page does) in a
fresh process, so its peak memory (max RSS, Django included) is its own; a process still
running after the import's hard time limit is killed and counted as such. Every file must end
gennemført or fejlet with a Danish reason (never "uventet fejl"), within the time limit and
under 1 GB. Prints one line per file and the worst figures; writes bench-results/fuzz-<engine>.json.
"""

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from common import DATABASES, ROOT, setup_django

FILES = ROOT / "var" / "bench-fuzz"
MEMORY_LIMIT_MB = 1024
MEASURE = "Antal personer"


def _csv(*rows: str, header: str = f"Område;Periode;Ydelsesgrupper;{MEASURE}") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def _xlsx(dimension: str | None = None, last_row: int | None = None) -> bytes:
    """A small workbook; optionally declaring a dimension it does not have, or with one far-away row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Område", "Periode", MEASURE])
    sheet.append(["Norddjurs", "2024Q1", 412])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if last_row:
                    text = text.replace(
                        "</sheetData>",
                        f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                    )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def _big_csv(columns: int, target_bytes: int) -> bytes:
    header = ";".join(["Område", "Periode"] + [f"Måling {i}" for i in range(columns - 2)])
    lines, size, i = [header], len(header), 0
    while size < target_bytes:
        line = "Norddjurs;2024Q1;" + ";".join(str((i * 197 + j) % 100000) for j in range(columns - 2))
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines).encode()


def _deep_json(depth: int) -> bytes:
    cell = "[" * depth + "1" + "]" * depth
    return f'{{"columns": ["Område", "Periode", "{MEASURE}"], "rows": [["Norddjurs", "2024Q1", {cell}]]}}'.encode()


def _wide(sheet: str, header: list, cells: int) -> bytes:
    """Issue 22: one row of `cells` cells under <dimension ref="A1:C2">."""
    from tests.support.hostile_xlsx import workbook

    return workbook({sheet: [header]}, wide_row=(sheet, 1, cells))


def _lying(sheet: str, header: list, row: list, rows: int) -> bytes:
    """Issue 22: `rows` ordinary rows under <dimension ref="A1:C2">."""
    from tests.support.hostile_xlsx import workbook

    return workbook({sheet: [header] + [row] * rows})


def hostile_files() -> dict[str, bytes]:
    """name -> content; built on demand (the large ones take a few seconds)."""
    from plans.services.plan_xlsx import HEADER as PLAN_HEADER

    ten_thousand = ";".join(["Område", "Periode"] + [f"M{i}" for i in range(9998)])
    v3 = lambda rows: json.dumps({"columns": ["Område", "Periode", MEASURE], "rows": rows}).encode()  # noqa: E731
    return {
        "csv-10000-kolonner": lambda: _csv(
            "Norddjurs;2024Q1;" + ";".join("1" for _ in range(9998)), header=ten_thousand
        ),
        "utf-32-med-bom": lambda: "Område;Periode;Antal\nNorddjurs;2024Q1;412\n".encode("utf-32"),
        "utf-32-uden-bom": lambda: "Område;Periode;Antal\nNorddjurs;2024Q1;412\n".encode("utf-32-le"),
        "utf-16-afkortet": lambda: "Område;Periode;Antal\nNorddjurs;2024Q1;412\n".encode("utf-16")[:-1],
        "nul-efter-4-kib": lambda: _csv(
            *[f"Norddjurs;2024Q1;Gruppe {i};{i}" for i in range(200)], "Norddjurs;2024Q2;A\x00B;1"
        ),
        "json-nul-escape": lambda: v3([["Norddjurs", "2024Q1\\u0000", 1]]).replace(b"\\\\u0000", b"\\u0000"),
        "xlsx-A1-GR1048576": lambda: _xlsx("A1:GR1048576"),
        "xlsx-A1-ALL1048576": lambda: _xlsx("A1:ALL1048576"),
        "xlsx-raekke-1048576": lambda: _xlsx(last_row=1048576),
        "xlsx-beskadiget": lambda: _xlsx()[:900],
        "csv-overskrift-20-mio-felter": lambda: ("Område;Periode;" + "a;" * 20_000_000 + "\n").encode(),
        "csv-linje-over-1-mib": lambda: _csv("Norddjurs;2024Q1;A;" + "9" * 2_000_000),
        "csv-1e11": lambda: _csv("Norddjurs;2024Q1;A;100000000000"),
        "csv-inf": lambda: _csv("Norddjurs;2024Q1;A;inf"),
        "json-1e11": lambda: v3([["Norddjurs", "2024Q1", 1e11]]),
        "json-inf-1e400": lambda: v3([["Norddjurs", "2024Q1", 1]]).replace(b"1]]", b"1e400]]"),
        "json-liste-celle": lambda: v3([["Norddjurs", "2024Q1", [1, 2]]]),
        "json-objekt-celle": lambda: v3([["Norddjurs", "2024Q1", {"a": 1}]]),
        "json-dybt-indlejret-celle": lambda: _deep_json(500),
        "json-dybt-indlejret-100000": lambda: _deep_json(100_000),
        "json-afkortet": lambda: v3([["Norddjurs", "2024Q1", 1]] * 1000)[:-100],
        "json-16-mio-tomme-lister": lambda: b'{"columns": [], "rows": [' + b"[]," * 16_000_000 + b"[]]}",
        "json-50mb-tal": lambda: (
            b'{"columns": ["Omr\xc3\xa5de", "Periode", "A"], "rows": ['
            + b",".join(b'["N%d", "2024Q1", %d.5]' % (i, i) for i in range(1_500_000))
            + b"]}"
        ),
        "csv-50mb-200-kolonner": lambda: _big_csv(200, 49_000_000),
        "csv-50mb-3-kolonner": lambda: _big_csv(3, 49_000_000),
        # Issue 22: what the XLSX is, not what it says.
        "xlsx-raekke-8-mio-celler": lambda: _wide("Ark1", ["Område", "Periode", MEASURE], 8_000_000),
        "xlsx-dimension-lyver-6-mio-celler": lambda: _lying(
            "Ark1", ["Område", "Periode", "Ydelsesgrupper", MEASURE], ["Norddjurs", "2024Q1", "A", 412], 1_500_000
        ),
        "xlsx-dimension-lyver-5-mio-celler": lambda: _lying(
            "Ark1", ["Område", "Periode", "Ydelsesgrupper", MEASURE], ["Norddjurs", "2024Q1", "A", 412], 1_249_999
        ),
        "plan-xlsx-raekke-8-mio-celler": lambda: _wide("Plan", PLAN_HEADER, 8_000_000),
        "plan-xlsx-dimension-lyver-6-mio-celler": lambda: _lying(
            "Plan", ["Mål", "Type"], ["1.1", "Resultatmål"], 3_000_000
        ),
        "plan-xlsx-dimension-lyver-100000-raekker": lambda: _lying(
            "Plan", ["Mål", "Type"], ["1.1", "Resultatmål"], 100_000
        ),
    }


def run_one(path: Path) -> None:
    """In the child: one upload through the importer; prints a JSON line."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile

    from plans.imports import service

    started = time.perf_counter()
    if path.name.startswith("plan-"):
        from plans.services import plan_xlsx

        try:
            plan_xlsx.import_plan(path.read_bytes(), 2099, "Fuzz")
            state, message = "gennemfoert", ""
        except plan_xlsx.PlanImportError as error:
            state, message = "fejlet", error.messages[0]
    else:
        record = service.create(ContentFile(path.read_bytes(), name=path.name), None)
        record, _ = service.process(record.pk)
        state, message = record.state, (record.errors or record.notes or [""])[0]
    print(json.dumps({"state": state, "message": message[:160], "seconds": round(time.perf_counter() - started, 2)}))


def measure(path: Path, engine: str, limit_seconds: int) -> dict:
    env = dict(os.environ, DATABASE_URL=DATABASES[engine])
    env.pop("REDIS_URL", None)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--one", str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    killed = threading.Timer(limit_seconds, child.kill)
    killed.start()
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    killed.cancel()
    result = {
        "file": path.name,
        "bytes": path.stat().st_size,
        "wall_seconds": round(time.perf_counter() - started, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "exit": os.waitstatus_to_exitcode(status),
    }
    try:
        result |= json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        result |= {"state": "ingen (processen døde)", "message": err.decode(errors="replace")[-300:]}
    final = result.get("state") in ("gennemfoert", "fejlet") and "uventet fejl" not in result.get("message", "")
    result["ok"] = final and result["peak_mb"] <= MEMORY_LIMIT_MB and result["wall_seconds"] <= limit_seconds
    return result


def main() -> None:
    engine = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    wanted = set(sys.argv[2:])
    setup_django(engine)
    from django.conf import settings

    FILES.mkdir(parents=True, exist_ok=True)
    results = []
    for name, build in hostile_files().items():
        if wanted and name not in wanted:
            continue
        path = FILES / name
        if not path.exists():
            path.write_bytes(build())
        result = measure(path, engine, settings.IMPORT_HARD_TIME_LIMIT_SECONDS)
        results.append(result)
        print(
            f"{'ok ' if result['ok'] else 'FEJL'} {name:30} {result['bytes'] / 1e6:8.2f} MB  {result['wall_seconds']:7.2f} s  "
            f"{result['peak_mb']:5} MB  {result['state']}: {result['message'][:110]}",
            flush=True,
        )
    worst_time = max(results, key=lambda r: r["wall_seconds"])
    worst_memory = max(results, key=lambda r: r["peak_mb"])
    print(
        f"\nworst time: {worst_time['wall_seconds']} s ({worst_time['file']}); "
        f"worst memory: {worst_memory['peak_mb']} MB ({worst_memory['file']}); "
        f"limits {settings.IMPORT_TIME_LIMIT_SECONDS} s and {MEMORY_LIMIT_MB} MB"
    )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"fuzz-{engine}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if not all(r["ok"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        run_one(Path(sys.argv[2]))
    else:
        main()
