"""Reading jobindsats.dk extracts (see ../shared/formats) into one shape: a pandas DataFrame.

Formats: the website's CSV (semicolons, or tabs as in a .tsv, decimal comma, UTF-8 with or without BOM, or
Windows-1252 as Excel saves it, with title rows above and a source line below), the same as
XLSX, and the API's JSON (v2: [{"Variables": [...], "Data": [...]}], v3: {"columns", "rows"}).
Every cell is kept as read; plans.imports.validation interprets the numbers. Problems with the
file as a whole raise ExtractError with a Danish message.

Every file is read in bounded time and memory: its size, columns, cells, line lengths, JSON
nesting, and the cells an XLSX holds (plans.imports.xlsx_guard) are checked before pandas or
openpyxl allocate (settings IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS, IMPORT_MAX_XLSX_CELLS), each
check costing time linear in the file's size. The import reads in a child process with a memory
limit (service.process), which catches what these bounds cannot.
"""

import csv
import io
import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from plans.imports import xlsx_guard
from plans.imports.xlsx_guard import whole_number as _n

AREA_COLUMNS = ("område", "omraade", "area")
PERIOD_COLUMNS = ("periode", "period")
ROW = "_række"  # the row number in the file, for error messages
HEADER_LINES = 50  # the header is among a file's first lines (title rows above it)
MAX_HEADER_CHARS = 64 * 1024  # a header line longer than this is not a jobindsats header
MAX_LINE_BYTES = 1024 * 1024  # no line of an extract comes near this
MAX_JSON_DEPTH = 20  # an API extract nests 4 deep
MAX_JSON_CONTAINERS = 2_500_000  # lists and objects: one per row, and a 50 MB file holds fewer rows
_NEWLINE = re.compile(r"\r\n|\r|\n")
_ONE_OBJECT_A_LINE = object()  # what _load_json returns for NDJSON, which json.loads cannot read as a whole


class ExtractError(Exception):
    """The file cannot be read as an extract; the message is for the user (Danish)."""


@dataclass
class Extract:
    frame: pd.DataFrame  # data rows only; columns as in the file, plus ROW
    area_column: str
    period_column: str
    format: str


def read_extract(raw: bytes) -> Extract:
    if not raw or raw.isspace():
        raise ExtractError("Filen er tom.")
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(raw)
    text, encoding = _decode(raw)
    if text.lstrip()[:1] in ("[", "{"):
        return _read_json(text)
    # pandas reads UTF-8 bytes (its own copy of a str would take four bytes a character); the
    # header is looked for in the first lines only.
    head = text[: HEADER_LINES * (MAX_HEADER_CHARS + 2)]
    if encoding == "UTF-8":
        body, start = raw, 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    else:
        body, start = text.encode("utf-8"), 0
    del text
    return _read_csv(head, body, start, encoding)


def _nul(where: str) -> ExtractError:
    return ExtractError(
        f"Filen er ikke en tekstfil: den indeholder et NUL-tegn {where}. Upload CSV, XLSX eller JSON fra Jobindsats."
    )


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ExtractError(
            "Filen er gemt i UTF-32, som importen ikke læser. Gem den som CSV i UTF-8 eller hent udtrækket igen."
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractError("Filen siger, den er i UTF-16, men er beskadiget. Gem den som CSV i UTF-8.") from None
        if (position := text.find("\x00")) >= 0:
            raise _nul(f"(byte 0) på plads {_n(position + 1)}")
        return text, "UTF-16"
    if (position := raw.find(b"\x00")) >= 0:  # the whole file: a NUL can never be saved (PostgreSQL)
        raise _nul(f"(byte 0) på plads {_n(position + 1)}")
    try:
        return raw.decode("utf-8-sig"), "UTF-8"  # with or without a byte order mark
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise ExtractError("Filens tegnsæt kan ikke læses. Gem filen som CSV i UTF-8 eller Windows-1252.") from None


def _too_many_columns(count: int) -> ExtractError:
    return ExtractError(
        f"Filen har {_n(count)} kolonner; importen læser højst {_n(settings.IMPORT_MAX_COLUMNS)}. "
        "Vælg færre målinger i udtrækket, eller del det op."
    )


def _too_many_cells(count: int, limit: int) -> ExtractError:
    return ExtractError(
        f"Filen har omkring {_n(count)} celler; importen læser højst {_n(limit)}. Del udtrækket op i flere filer (fx én pr. år)."
    )


def _is_header(cells) -> bool:
    names = {str(c).strip().casefold() for c in cells if c is not None}
    return bool(names & set(AREA_COLUMNS)) and bool(names & set(PERIOD_COLUMNS))


def _columns(frame: pd.DataFrame, format_: str) -> Extract:
    frame.columns = [str(c).strip() for c in frame.columns]
    by_name = {c.casefold(): c for c in frame.columns}
    area = next((by_name[n] for n in AREA_COLUMNS if n in by_name), None)
    period = next((by_name[n] for n in PERIOD_COLUMNS if n in by_name), None)
    if area is None or period is None:
        missing = "'Område' (eller 'Area')" if area is None else "'Periode'"
        found = ", ".join(f"'{c}'" for c in frame.columns if c != ROW) or "ingen"
        raise ExtractError(f"Kolonnen {missing} mangler. Filens kolonner: {found}.")
    if len(set(frame.columns)) != len(frame.columns):
        raise ExtractError("Filen har to kolonner med samme navn.")
    # Blank lines and footers such as "Kilde: Jobindsats.dk" have no period: they are not data.
    periods = frame[period].astype("string").str.strip().fillna("")
    frame = frame[periods != ""].reset_index(drop=True)
    if frame.empty:
        raise ExtractError("Filen har ingen datarækker under overskriften.")
    return Extract(frame, area, period, format_)


def _first_lines(text: str) -> list[tuple[int, str | None]]:
    """(offset, line) of the first HEADER_LINES lines; a line longer than MAX_HEADER_CHARS is None."""
    lines, position = [], 0
    while len(lines) < HEADER_LINES and position < len(text):
        window = _NEWLINE.search(text, position, position + MAX_HEADER_CHARS + 2)
        if window is None and position + MAX_HEADER_CHARS + 2 < len(text):
            lines.append((position, None))
            rest = _NEWLINE.search(text, position)
            if rest is None:
                break
            position = rest.end()
            continue
        end = window.start() if window else len(text)
        lines.append((position, text[position:end]))
        position = window.end() if window else len(text)
    return lines


def _read_csv(head: str, body: bytes, start: int, encoding: str) -> Extract:
    lines = _first_lines(head)
    for separator in (";", "\t", ","):
        header = next(
            (i for i, (_, line) in enumerate(lines) if line is not None and _is_header(line.split(separator))), None
        )
        if header is not None:
            break
    else:
        long = next((i for i, (_, line) in enumerate(lines) if line is None), None)
        if long is not None:
            raise ExtractError(
                f"Linje {long + 1} er over {MAX_HEADER_CHARS // 1024} KiB lang, så den kan ikke være en overskrift, og "
                "filen har ingen overskriftslinje med kolonnerne 'Område' (eller 'Area') og 'Periode' før den."
            )
        first = (lines[0][1] or "")[:80] if lines else ""
        raise ExtractError(
            "Filen har ingen overskriftslinje med kolonnerne 'Område' (eller 'Area') og 'Periode'. "
            f"Første linje er: '{first}'."
        )
    offset, header_line = lines[header]
    width = len(next(csv.reader([header_line], delimiter=separator)))
    if width > settings.IMPORT_MAX_COLUMNS:
        raise _too_many_columns(width)
    start += len(head[:offset].encode("utf-8"))
    _check_lines(body, start, header, width)
    try:
        # header=None: the header line fixes the number of fields, so a longer line is an error
        # (with a header row pandas would quietly turn the extra fields into an index).
        handle = io.BytesIO(body)
        handle.seek(start)
        frame = pd.read_csv(
            handle,
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8",
            encoding_errors="replace",
        )
    except pd.errors.ParserError as error:
        match = re.search(r"line (\d+), saw (\d+)", str(error))
        where = (
            f"Linje {header + int(match.group(1))} har {match.group(2)} felter"
            if match
            else "En linje har for mange felter"
        )
        raise ExtractError(f"{where}, flere end overskriften.") from None
    frame.columns = frame.iloc[0]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame[ROW] = range(header + 2, header + 2 + len(frame))
    kind = "TSV" if separator == "\t" else "CSV"  # by the content: a .csv may hold tabs
    return _columns(frame, f"{kind} ({encoding})")


def _check_lines(body: bytes, start: int, header: int, width: int) -> None:
    """No line over MAX_LINE_BYTES, and no more cells than IMPORT_MAX_CELLS (lines × header fields)."""
    lines = max(body.count(b"\n", start), body.count(b"\r", start)) + 1
    if lines * width > settings.IMPORT_MAX_CELLS:
        raise _too_many_cells(lines * width, settings.IMPORT_MAX_CELLS)
    data = np.frombuffer(body, dtype=np.uint8)[start:]
    if len(data) <= MAX_LINE_BYTES:
        return
    breaks = np.flatnonzero((data == 10) | (data == 13))
    ends = np.concatenate(([-1], breaks, [len(data)]))
    lengths = np.diff(ends) - 1
    longest = int(np.argmax(lengths))
    if lengths[longest] > MAX_LINE_BYTES:
        number = header + 1 + body.count(b"\n", start, start + int(ends[longest]) + 1)
        raise ExtractError(
            f"Linje {number} er {_n(int(lengths[longest]) // 1024)} KiB lang; en linje i et udtræk må højst være "
            f"{MAX_LINE_BYTES // 1024 // 1024} MiB. Filen er ikke et udtræk fra Jobindsats."
        )


def _check_json(text: str) -> None:
    """Bounds checked before json.loads builds the objects: NULs, containers, values and depth."""
    if "\\u0000" in text:
        raise _nul("(\\u0000)")
    containers = text.count("[") + text.count("{")
    if containers > MAX_JSON_CONTAINERS:
        raise ExtractError(
            f"JSON-filen har {_n(containers)} lister og objekter; et udtræk har én pr. række, og importen læser højst "
            f"{_n(MAX_JSON_CONTAINERS)}. Del udtrækket op i flere filer."
        )
    values = text.count(",") + 1
    if values > settings.IMPORT_MAX_CELLS:
        raise _too_many_cells(values, settings.IMPORT_MAX_CELLS)
    brackets = np.frombuffer(re.sub(r"[^\[\]{}]+", "", text).encode("ascii"), dtype=np.uint8)
    if len(brackets):
        depth = np.cumsum(np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1).astype(np.int32))
        if depth.max() > MAX_JSON_DEPTH:
            raise ExtractError(
                f"JSON-filen er indlejret {_n(int(depth.max()))} niveauer dybt; et udtræk fra Jobindsats har højst 4 "
                f"(importen læser højst {MAX_JSON_DEPTH})."
            )


def _read_json(text: str) -> Extract:
    _check_json(text)
    data = _load_json(text)
    if data is _ONE_OBJECT_A_LINE or (isinstance(data, dict) and _is_header(data)):  # NDJSON, or NDJSON of one row
        return _read_ndjson(text)
    labels, rows, format_ = _json_table(data)
    _check_json_table(labels, rows)
    frame = pd.DataFrame(rows, columns=labels, dtype=object)
    frame[ROW] = range(1, len(frame) + 1)
    return _columns(frame, format_)


def _load_json(text: str):
    """The file's JSON, or _ONE_OBJECT_A_LINE when it is NDJSON; a file json.loads cannot read is an ExtractError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) - 1:
            raise ExtractError(
                "JSON-filen er afkortet: den slutter, før data er færdige. Hent udtrækket igen."
            ) from None
        if error.msg == "Extra data" and text.lstrip().startswith("{"):
            return _ONE_OBJECT_A_LINE
        raise ExtractError(f"JSON-filen kan ikke læses (linje {error.lineno}: {error.msg}).") from None
    except RecursionError:
        raise ExtractError("JSON-filen er indlejret for dybt til at være et udtræk fra Jobindsats.") from None


def _json_table(data) -> tuple[list, list, str]:
    """(column labels, rows, format) of the API's answer, v2 or v3; any other JSON is an ExtractError."""
    if isinstance(data, dict) and len(data) == 1 and "nøgle" in next(iter(data)).casefold():
        raise ExtractError(f"Filen er en fejlmeddelelse fra Jobindsats, ikke data: '{next(iter(data))}'.")
    if isinstance(data, list) and data and all(isinstance(t, dict) and {"Variables", "Data"} <= t.keys() for t in data):
        return _v2_table(data)
    if isinstance(data, dict) and {"columns", "rows"} <= data.keys():
        return data["columns"], data["rows"], "JSON (Jobindsats API v3)"
    raise ExtractError("JSON-filen har ikke Jobindsats' form ('Variables' og 'Data', eller 'columns' og 'rows').")


def _v2_table(tables: list[dict]) -> tuple[list, list, str]:
    """v2 answers a list of tables, each with its "Variables" (the columns) and "Data" (the rows): one table."""
    if not all(isinstance(t["Variables"], list) and isinstance(t["Data"], list) for t in tables):
        raise ExtractError("JSON-filen har ikke Jobindsats' form: 'Variables' og 'Data' skal være lister.")
    labels = [v.get("Label") if isinstance(v, dict) else v for v in tables[0]["Variables"]]
    rows = [row for table in tables for row in table["Data"]]
    return labels, rows, "JSON (Jobindsats API v2)"


def _check_json_table(labels, rows) -> None:
    """The labels a list of texts within IMPORT_MAX_COLUMNS, and every row a list as long."""
    if (
        not isinstance(rows, list)
        or not isinstance(labels, list)
        or not all(isinstance(c, (str, int, float)) for c in labels)
    ):
        raise ExtractError(
            "JSON-filen har ikke Jobindsats' form: kolonnenavnene skal være en liste af tekster og rækkerne en liste."
        )
    if len(labels) > settings.IMPORT_MAX_COLUMNS:
        raise _too_many_columns(len(labels))
    bad = next((i for i, row in enumerate(rows, start=1) if not isinstance(row, list) or len(row) != len(labels)), None)
    if bad is not None:
        raise ExtractError(f"Række {bad} i JSON-filen har ikke {len(labels)} felter som overskriften.")


def _read_ndjson(text: str) -> Extract:
    """One JSON object per line (as some tools save API output): each object is a row, its keys the columns."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise ExtractError(f"Linje {number} i NDJSON-filen (ét JSON-objekt pr. linje) kan ikke læses.") from None
        if not isinstance(row, dict):
            raise ExtractError(f"Linje {number} i NDJSON-filen er ikke et JSON-objekt med kolonnenavne.")
        rows.append(row)
    labels = list(dict.fromkeys(key for row in rows for key in row))
    if len(labels) > settings.IMPORT_MAX_COLUMNS:
        raise _too_many_columns(len(labels))
    frame = pd.DataFrame([[row.get(label) for label in labels] for row in rows], columns=labels, dtype=object)
    frame[ROW] = range(1, len(frame) + 1)
    return _columns(frame, "NDJSON (ét JSON-objekt pr. linje)")


def _read_xlsx(raw: bytes) -> Extract:
    from openpyxl import load_workbook

    try:
        xlsx_guard.check(raw)
    except xlsx_guard.Refused as error:
        raise ExtractError(str(error)) from None
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # already checked; the rows are bounded below whatever the file declares
        # The header among the first rows, at most IMPORT_MAX_COLUMNS wide; then the rows under it,
        # as wide as the header, until IMPORT_MAX_XLSX_CELLS.
        first = list(
            sheet.iter_rows(min_row=1, max_row=HEADER_LINES, max_col=settings.IMPORT_MAX_COLUMNS + 1, values_only=True)
        )
        header = next((i for i, row in enumerate(first) if _is_header(row)), None)
        if header is None:
            raise ExtractError(
                "Regnearket har ingen overskriftsrække med kolonnerne 'Område' (eller 'Area') og 'Periode'."
            )
        width = max((i + 1 for i, c in enumerate(first[header]) if c is not None), default=0)
        if width > settings.IMPORT_MAX_COLUMNS:
            raise _too_many_columns(width)
        rows, limit = [], settings.IMPORT_MAX_XLSX_CELLS // max(width, 1)
        for row in sheet.iter_rows(min_row=header + 2, max_col=width, values_only=True):
            if len(rows) >= limit:
                raise _too_many_cells((len(rows) + 1) * width, settings.IMPORT_MAX_XLSX_CELLS)
            rows.append(row)
        workbook.close()
    # Out of memory and the time limit are the import's to report (service.process), not a broken file.
    except (ExtractError, MemoryError, SoftTimeLimitExceeded):
        raise
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise ExtractError("XLSX-filen kan ikke åbnes som et Excel-regneark.") from None
    frame = pd.DataFrame(rows, columns=first[header][:width], dtype=object)
    if any(isinstance(c, str) and "\x00" in c for c in frame.columns):
        raise _nul("i overskriften")
    frame[ROW] = range(header + 2, header + 2 + len(frame))
    return _columns(frame, "XLSX")
