"""Reading jobindsats.dk extracts (see ../shared/formats) into one shape: a pandas DataFrame.

Formats: the website's CSV (semicolons, decimal comma, UTF-8 with or without BOM, or
Windows-1252 as Excel saves it, with title rows above and a source line below), the same as
XLSX, and the API's JSON (v2: [{"Variables": [...], "Data": [...]}], v3: {"columns", "rows"}).
Every cell is kept as read; plans.imports.validation interprets the numbers. Problems with the
file as a whole raise ExtractError with a Danish message.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

AREA_COLUMNS = ("område", "omraade", "area")
PERIOD_COLUMNS = ("periode", "period")
ROW = "_række"  # the row number in the file, for error messages


class ExtractError(Exception):
    """The file cannot be read as an extract; the message is for the user (Danish)."""


@dataclass
class Extract:
    frame: pd.DataFrame  # data rows only; columns as in the file, plus ROW
    area_column: str
    period_column: str
    format: str


def read_extract(raw: bytes) -> Extract:
    if not raw.strip():
        raise ExtractError("Filen er tom.")
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(raw)
    text, encoding = _decode(raw)
    if text.lstrip()[:1] in ("[", "{"):
        return _read_json(text)
    return _read_csv(text, encoding)


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    if b"\x00" in raw[:4096]:
        raise ExtractError("Filen er ikke en tekstfil. Upload CSV, XLSX eller JSON fra Jobindsats.")
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise ExtractError("Filens tegnsæt kan ikke læses. Gem filen som CSV i UTF-8 eller Windows-1252.") from None


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


def _read_csv(text: str, encoding: str) -> Extract:
    lines = text.splitlines()
    for separator in (";", "\t", ","):
        header = next((i for i, line in enumerate(lines[:50]) if _is_header(line.split(separator))), None)
        if header is not None:
            break
    else:
        first = lines[0][:80] if lines else ""
        raise ExtractError(
            "Filen har ingen overskriftslinje med kolonnerne 'Område' (eller 'Area') og 'Periode'. "
            f"Første linje er: '{first}'."
        )
    try:
        # header=None: the header line fixes the number of fields, so a longer line is an error
        # (with a header row pandas would quietly turn the extra fields into an index).
        frame = pd.read_csv(
            io.StringIO("\n".join(lines[header:])), sep=separator, header=None, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False,
        )  # fmt: skip
    except pd.errors.ParserError as error:
        match = re.search(r"line (\d+), saw (\d+)", str(error))
        where = f"Linje {header + int(match.group(1))} har {match.group(2)} felter" if match else "En linje har for mange felter"
        raise ExtractError(f"{where}, flere end overskriften.") from None
    frame.columns = frame.iloc[0]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame[ROW] = range(header + 2, header + 2 + len(frame))
    return _columns(frame, f"CSV ({encoding})")


def _read_json(text: str) -> Extract:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) - 1:
            raise ExtractError("JSON-filen er afkortet: den slutter, før data er færdige. Hent udtrækket igen.") from None
        if error.msg == "Extra data" and text.lstrip().startswith("{"):
            return _read_ndjson(text)
        raise ExtractError(f"JSON-filen kan ikke læses (linje {error.lineno}: {error.msg}).") from None
    except RecursionError:
        raise ExtractError("JSON-filen er indlejret for dybt til at være et udtræk fra Jobindsats.") from None
    if isinstance(data, dict) and len(data) == 1 and "nøgle" in next(iter(data)).casefold():
        raise ExtractError(f"Filen er en fejlmeddelelse fra Jobindsats, ikke data: '{next(iter(data))}'.")
    if isinstance(data, list) and data and all(isinstance(t, dict) and {"Variables", "Data"} <= t.keys() for t in data):
        labels = [v.get("Label") for v in data[0]["Variables"]]
        rows = [row for table in data for row in table["Data"]]
        format_ = "JSON (Jobindsats API v2)"
    elif isinstance(data, dict) and {"columns", "rows"} <= data.keys():
        labels, rows, format_ = data["columns"], data["rows"], "JSON (Jobindsats API v3)"
    else:
        raise ExtractError("JSON-filen har ikke Jobindsats' form ('Variables' og 'Data', eller 'columns' og 'rows').")
    bad = next((i for i, row in enumerate(rows, start=1) if not isinstance(row, list) or len(row) != len(labels)), None)
    if bad is not None:
        raise ExtractError(f"Række {bad} i JSON-filen har ikke {len(labels)} felter som overskriften.")
    frame = pd.DataFrame(rows, columns=labels, dtype=object)
    frame[ROW] = range(1, len(frame) + 1)
    return _columns(frame, format_)


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
    frame = pd.DataFrame([[row.get(label) for label in labels] for row in rows], columns=labels, dtype=object)
    frame[ROW] = range(1, len(frame) + 1)
    return _columns(frame, "NDJSON (ét JSON-objekt pr. linje)")


def _read_xlsx(raw: bytes) -> Extract:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise ExtractError("XLSX-filen er beskadiget og kan ikke åbnes.") from None
    unpacked = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > settings.IMPORT_MAX_XLSX_UNPACKED_BYTES or ratio > 200:
        raise ExtractError(
            f"XLSX-filen pakker ud til {unpacked // 1_000_000} MB (komprimeret {len(raw) // 1_000_000} MB). "
            "Det ligner en zip-bombe, og filen afvises."
        )
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise ExtractError("XLSX-filen kan ikke åbnes som et Excel-regneark.") from None
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    header = next((i for i, row in enumerate(rows[:50]) if _is_header(row)), None)
    if header is None:
        raise ExtractError("Regnearket har ingen overskriftsrække med kolonnerne 'Område' (eller 'Area') og 'Periode'.")
    width = max((i + 1 for i, c in enumerate(rows[header]) if c is not None), default=0)
    frame = pd.DataFrame([r[:width] for r in rows[header + 1 :]], columns=rows[header][:width], dtype=object)
    frame[ROW] = range(header + 2, header + 2 + len(frame))
    return _columns(frame, "XLSX")
