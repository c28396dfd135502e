"""The columns of an uploaded file, offered in the mapping editor so an administrator picks, not types."""

import re
from dataclasses import dataclass

from plans.imports.models import DataImport
from plans.imports.reading import ROW, ExtractError, read_extract
from plans.imports.validation import split_columns

MAX_VALUES = 50
# How jobindsats.dk names its tables: Y30R21, Y14D03, Y21MM13, OTIJ01, JO01.
TABLE_ID = re.compile(r"[A-Z]{1,2}\d{2}[A-Z]{1,2}\d{2}|[A-Z]{2,5}\d{2}")


def table_in_name(name: str, known: set[str] | None = None) -> str:
    """The table a file name mentions (y14d03_udtraek.csv -> Y14D03): one of the `known` tables if given,
    else any word shaped like a jobindsats table id (a suggestion for a new mapping)."""
    words = re.split(r"[^A-Za-z0-9]+", name.upper())
    return next((w for w in words if (w in known if known is not None else TABLE_ID.fullmatch(w))), "")


@dataclass
class Offered:
    measures: list[str]
    dimensions: dict[str, list[str]]  # column: its distinct values (the first MAX_VALUES)


def of_import(record: DataImport) -> Offered | None:
    """The file's measure columns and its dimensions' values; None when the file cannot be read."""
    try:
        with record.file.open("rb") as handle:
            extract = read_extract(handle.read())
    except (ExtractError, OSError, ValueError):  # ValueError: a failed API fetch has no file
        return None
    frame = extract.frame
    measures, dimensions = split_columns(frame, {extract.area_column, extract.period_column, ROW})
    values = {c: [str(v) for v in frame[c].dropna().astype(str).str.strip().unique()[:MAX_VALUES]] for c in dimensions}
    return Offered(list(measures), values)
