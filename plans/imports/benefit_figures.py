"""The full-time persons of a Jobindsats table "Antal personer og fuldtidspersoner" (plans.core.benefits):
the budget follow-up's and the key figures' data, read beside whatever mappings take from the same file.

A file from one of these tables (its table known from the upload's field, its name or the API fetch) gives
its full-time persons when it holds them and, in each dimension column (Køn, Herkomst, Ydelsesgrupper, ...), a
total row ("... i alt"): those rows are kept, for every area of the file. When it cannot, validation refuses
the file if no mapping takes anything from it, and warns if mappings do (plans.imports.validation).
"""

from dataclasses import dataclass

import pandas as pd

from plans.core.benefits import FULL_TIME_TABLES, MEASURE_FIELDS, REQUIRED_MEASURE, TABLE_SUBJECTS, TOTAL_MARK
from plans.imports.reading import ROW

FIELDS = ["table", "area", "period_code", "period_start", "period_end", *MEASURE_FIELDS.values()]


class Refused(Exception):
    def __init__(self, message: str):
        self.message = message


@dataclass
class BenefitRows:
    rows: pd.DataFrame  # FIELDS, one row per area and period
    used: pd.Series  # the file's rows taken
    columns: set  # the file's columns taken


def concerns(table: str) -> bool:
    return table in FULL_TIME_TABLES


def prepare(frame, table: str, find_column, listed) -> BenefitRows:
    """The total rows of the file (validation._Frame); Refused, in Danish, when the file cannot give them."""
    what = f"tabel {table} ({TABLE_SUBJECTS[table]}: antal personer og fuldtidspersoner)"
    columns = {name: find_column(frame.data.columns, label) for label, name in MEASURE_FIELDS.items()}
    required = find_column(frame.data.columns, REQUIRED_MEASURE)
    if required is None or required not in frame.measures:
        raise Refused(
            f"Filen er fra {what}, men kolonnen '{REQUIRED_MEASURE}' findes ikke i den, så budgetopfølgningen og "
            f"nøgletallene kan ikke opdateres fra den. Filens kolonner: {listed([c for c in frame.data.columns if c != ROW])}."
        )
    wanted = frame.usable & ~frame.measures[required].missing
    for column in _dimensions(frame):
        folded = frame.data[column].astype(str).str.strip().str.casefold()
        total = folded.str.endswith(TOTAL_MARK)
        if not total.any():
            raise Refused(
                f"Filen er fra {what}, men kolonnen '{column}' har ingen række for i alt "
                f"(værdier: {listed(frame.data[column].dropna().unique())}), så tallet for alle kan ikke læses, "
                "og budgetopfølgningen og nøgletallene kan ikke opdateres fra den. Hent udtrækket med 'i alt' for hver dimension."
            )
        wanted &= total
    chosen = frame.data.loc[wanted]
    doubled = chosen.duplicated(subset=[frame.area, frame.period], keep=False)
    if doubled.any():
        first = chosen.loc[doubled].iloc[0]
        raise Refused(
            f"Filen er fra {what}, men {first[frame.area]} {first[frame.period]} har flere rækker for i alt, "
            "så det er uklart, hvilken der gælder, og budgetopfølgningen og nøgletallene kan ikke opdateres fra den."
        )
    periods = frame.period_columns
    rows = pd.DataFrame(
        {
            "table": table,
            "area": chosen[frame.area].astype(str),
            **{name: periods[name][wanted].astype(str) for name in ("period_code", "period_start", "period_end")},
            **{
                name: (frame.measures[column].values[wanted] if column in frame.measures else float("nan"))
                for name, column in columns.items()
            },
        }
    )
    return BenefitRows(rows[FIELDS].reset_index(drop=True), wanted, {c for c in columns.values() if c})


def _dimensions(frame) -> list[str]:
    keys = {frame.area, frame.period, ROW}
    return [c for c in frame.data.columns if c not in keys and c not in frame.measures]
