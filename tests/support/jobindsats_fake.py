"""A local stand-in for the Jobindsats API v3, serving the sample extracts in tests/data.

It answers what plans.imports.jobindsats expects (an inference from public client code, see that
module): /tables, /table/<id> with the periods and dimensions, /data/<id> filtered by
period.<type>=a,b, 401 for a wrong key. Tests script failures on it (5xx, 429, slow answers, the v2
key error, a renamed column). It listens on 127.0.0.1 only and never calls out.

Run it by hand to try the fetch (the done-when of issue 14):

    .venv/bin/python -m tests.support.jobindsats_fake --port 8765 --key x
    JOBINDSATS_API_URL=http://127.0.0.1:8765 JOBINDSATS_API_KEY=x .venv/bin/python manage.py fetch_jobindsats
"""

import csv
import io
import json
import re
import socketserver
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from plans.core.benefits import FULL_TIME_TABLES, TABLE_SUBJECTS
from tests.paths import DATA, ROOT

ROUTES = DATA / "routes"
SYNTHETIC = ROOT / "plans" / "seed" / "synthetic"
TITLES = {
    "Y30R21": "Benchmark: forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse",
    "Y08A02": "Fleksjob",
    "Y09A02": "Ledighedsydelse",
    "Y38A02": "Uddannelseshjælp",
    "OTIJ01": "Ydelsesmodtagere med ordinære timer",
    "JO01": "Jobordrer",
    "Y21MM13": "Flygtninge og familiesammenførte i beskæftigelse",
    "Y21MM17": "Ydelsesmodtagere, som har påbegyndt et opkvalificeringsforløb",
}


@dataclass
class Table:
    table: str
    columns: list[str]
    rows: list[list]
    period_type: str
    title: str = ""
    next_update: str = "2026-12-10"
    as_csv: bool = False  # answer /data with ";"-separated CSV after a BOM, as format=csv does

    @property
    def period_index(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.casefold() in ("periode", "period"))

    @property
    def periods(self) -> list[str]:
        return sorted({str(r[self.period_index]) for r in self.rows}, key=_period_key)

    @property
    def dimensions(self) -> list[str]:
        """Columns that are neither area, period nor a measure (no number in them)."""
        skip = {"område", "area", "periode", "period"}
        return [
            c
            for i, c in enumerate(self.columns)
            if c.casefold() not in skip
            and not any(isinstance(r[i], (int, float)) or _is_number(r[i]) for r in self.rows)
        ]


def _is_number(value) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"-?\d+(,\d+)?", value.strip()))


def _period_key(code: str):
    match = re.match(r"(\d{4})(\D*)(\d*)", code)
    return (int(match.group(1)), int(match.group(3) or 0)) if match else (0, 0)


def _number(cell):
    """CSV and v2 cells as v3 JSON writes them: counts as integers, shares as decimals."""
    if not isinstance(cell, str):
        return cell
    text = cell.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+,\d+", text):
        return float(text.replace(",", "."))
    return None if text == "" else cell


def _read_csv(path: Path) -> tuple[list[str], list[list]]:
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    return lines[0], [row for row in lines[1:] if row]


def _read_v2(path: Path) -> tuple[list[str], list[list]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [v["Label"] for v in data[0]["Variables"]], [row for table in data for row in table["Data"]]


def sample_tables() -> dict[str, Table]:
    """The mapped tables of the plan's routes, from the samples (every number made up)."""
    tables = {}
    columns, rows = _read_csv(ROUTES / "y30r21_national_api_v3_synthetic.csv")
    rows = [[_number(c) for c in r] for r in rows]
    newest = max((r[0] for r in rows), key=_period_key)
    rows.append([newest, "Uoplyst område", "Ydelsesgrupper i alt", 12, 10, -2, 1.0, 0.9, -0.1, 1])
    tables["Y30R21"] = Table("Y30R21", columns, rows, "QMAT")
    for table, path in (("Y08A02", "y08a02_api_v2_synthetic.json"), ("OTIJ01", "otij01_api_v2_synthetic.json")):
        columns, rows = _read_v2(ROUTES / path)
        tables[table] = Table(table, columns, [[_number(c) for c in r] for r in rows], "M")
    columns, rows = _read_csv(ROUTES / "y09a02_api_v2_synthetic.csv")
    tables["Y09A02"] = Table("Y09A02", columns, [[_number(c) for c in r] for r in rows], "M")
    for table, path in (
        ("Y38A02", "y38a02_api_v3_synthetic.json"),
        ("Y21MM13", "y21mm13_api_v3_synthetic.json"),
        ("Y21MM17", "y21mm17_api_v3_synthetic.json"),
    ):
        data = json.loads((ROUTES / path).read_text(encoding="utf-8"))
        tables[table] = Table(table, data["columns"], data["rows"], "M")
    columns, rows = _read_csv(ROUTES / "jo01_api_v3_synthetic.csv")
    tables["JO01"] = Table("JO01", columns, rows, "M", as_csv=True)
    # The other tables of full-time persons (the budget follow-up's), from the synthetic samples the demo imports.
    for table in FULL_TIME_TABLES:
        if table not in tables:
            columns, rows = _read_csv(SYNTHETIC / f"{table.lower()}_fuldtidspersoner_SYNTETISK.csv")
            tables[table] = Table(table, columns, [[_number(c) for c in r] for r in rows], "M")
    for table in tables.values():
        table.title = TITLES.get(table.table) or TABLE_SUBJECTS[table.table]
    return tables


@dataclass
class Plan:
    """Scripted answers for requests whose path starts with `prefix`: each item is used once, `then` forever after."""

    prefix: str
    answers: list = field(default_factory=list)
    then: object = None


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that gave up on a slow answer
        pass


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakeJobindsats:
    def __init__(self, key: str = "x", tables: dict[str, Table] | None = None):
        self.key = key
        self.tables = sample_tables() if tables is None else tables
        self.requests: list[dict] = []
        self.plans: list[Plan] = []
        self.slow_seconds = 2.0
        self._server = None
        self._lock = threading.Lock()

    # --- scripting ---

    def script(self, prefix: str, *answers, then=None) -> None:
        """Answers ("ok", 500, 429, "slow", "v2key") for the next requests under `prefix` ("data/", "table/y30r21")."""
        self.plans.append(Plan(prefix, list(answers), then))

    def data_requests(self, table: str | None = None) -> list[dict]:
        return [
            r
            for r in self.requests
            if r["path"].startswith("data/") and (table is None or r["path"] == f"data/{table.lower()}")
        ]

    # --- serving ---

    def start(self, port: int = 0) -> str:
        self._server = make_server("127.0.0.1", port, self.app, server_class=_Server, handler_class=_Quiet)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def _planned(self, path: str):
        with self._lock:
            for plan in self.plans:
                if path.startswith(plan.prefix):
                    if plan.answers:
                        return plan.answers.pop(0)
                    if plan.then is not None:
                        return plan.then
        return "ok"

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "").strip("/")
        params = {
            k: v[-1] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()
        }
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        self.requests.append({"path": path, "params": params, "authorization": authorization})

        def answer(status: str, body, content_type="application/json; charset=utf-8", headers=()):
            raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(raw))), *headers])
            return [raw]

        if authorization != f"Bearer {self.key}":
            # A careless server might echo what it was sent; the portal must not pass it on.
            return answer("401 Unauthorized", {"message": "Unauthorized", "received": authorization})
        planned = self._planned(path)
        if planned == "slow":
            time.sleep(self.slow_seconds)
        elif planned == "v2key":
            return answer("200 OK", {"Forkert nøgle eller nøglen er udløbet.": ""})
        elif planned == 429:
            return answer("429 Too Many Requests", {"message": "Too many requests"}, headers=[("Retry-After", "0")])
        elif isinstance(planned, int):
            return answer(
                f"{planned} Error",
                f"<html>Server error {planned}; you sent {authorization}</html>".encode(),
                "text/html",
            )
        if params.get("format") not in ("json", "csv"):
            return answer("400 Bad Request", {"message": "format is required"})
        if path == "subjects":
            return answer("200 OK", [{"subject_id": "1", "subject_name": "Ydelser"}])
        if path == "tables":
            return answer(
                "200 OK",
                [
                    {
                        "subject_name": "Ydelser",
                        "table_groups": [
                            {
                                "tables": [
                                    {
                                        "table_id": t.table.lower(),
                                        "table_name": t.title,
                                        "update_next": t.next_update,
                                        "update_latest": "2026-11-01",
                                    }
                                    for t in self.tables.values()
                                ]
                            }
                        ],
                    }
                ],
            )
        kind, _slash, table_id = path.partition("/")
        table = self.tables.get(table_id.upper())
        if table is None or kind not in ("table", "data"):
            return answer("404 Not Found", {"message": "Not found"})
        if kind == "table":
            return answer(
                "200 OK",
                {
                    "table_id": table.table.lower(),
                    "table_name": table.title,
                    "periods": [
                        {"periodtype_id": table.period_type, "values": [{"period_id": p} for p in table.periods]}
                    ],
                    "dimensions": [{"dimension_id": "_omr", "hierarchies": [{"hierarchy_id": "_nykom", "levels": []}]}]
                    + [
                        {
                            "dimension_id": f"_d{i}",
                            "hierarchies": [
                                {"hierarchy_id": f"_h{i}", "levels": [{"values": [{"value_id": "/", "value_name": d}]}]}
                            ],
                        }
                        for i, d in enumerate(table.dimensions)
                    ],
                },
            )
        wanted = params.get(f"period.{table.period_type}")
        if not wanted:
            return answer("400 Bad Request", {"message": f"period.{table.period_type} is required"})
        periods = set(wanted.split(","))
        rows = [r for r in table.rows if str(r[table.period_index]) in periods]
        if table.as_csv:
            out = io.StringIO()
            csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([table.columns, *rows])
            return answer("200 OK", ("\ufeff" + out.getvalue()).encode(), "text/csv; charset=utf-8")
        return answer("200 OK", {"columns": table.columns, "rows": rows})


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--key", default="x")
    arguments = parser.parse_args()
    fake = FakeJobindsats(arguments.key)
    print(f"Jobindsats v3 stand-in on {fake.start(arguments.port)} (key {arguments.key!r}); Ctrl-C stops it.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
