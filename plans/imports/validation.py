"""From a read extract to the observations it brings: every cell checked, nothing written.

prepare(extract, routes) either returns Prepared (the rows to write, the notes for the report)
or raises ImportErrors with Danish messages naming row and column. Two kinds of file:

- a jobindsats.dk extract: its columns go to indicators through ExtractMapping (a measure, row
  filters, optionally a denominator, in the same table or another);
- the portal's local template (plans.imports.template): a column "Nøgle" names the indicator.

Every measure column is validated, mapped or not: a file with one corrupt column is refused whole.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from django.conf import settings

from plans.core import areas
from plans.imports import benefit_figures
from plans.imports.reading import ROW, Extract
from portal.periods import PeriodError, parse_period

MISSING = {"", "..", "-", "–", "x"}  # how jobindsats.dk and Excel write "no value"
NUMBER = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"  # Danish: 1.234,5
DATABASE_LIMIT = 1e11  # numeric(14, 3) holds less than 10^11
MAX_ERRORS = 200
BENCHMARK_PREFIX = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "
RANK_COLUMN = "Placering på benchmarkranglisten"
BENCHMARK_TABLE = "Y30R21"
TEMPLATE_KEY = "Nøgle"  # the local template's column naming the indicator, e.g. "6.10-1"
COLUMNS = ["indicator_id", "area", "period_code", "period_start", "period_end", "value", "comparison"]
KEY = ["indicator_id", "area", "period_code"]  # one observation per key
PART_COLUMNS = ["mapping_id", "part", "area", "period_code", "value"]
# A warning is a note that must be seen: stored first among the notes with this prefix (no schema change),
# shown at the top of the import page and in the fetch's e-mail (plans.imports.service.warnings).
WARNING = "Advarsel: "
MAX_LISTED = 15  # values and columns named in a message


class ImportErrors(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages


@dataclass
class Route:
    """A mapping as the import uses it; plain data, so tests and the fetcher can build one."""

    id: int
    indicator_id: int
    percent: bool  # the indicator is a share: values must lie within 0-100
    label: str
    table: str = ""
    measure: str = ""
    filters: dict = field(default_factory=dict)
    denominator_table: str = ""
    denominator_measure: str = ""
    denominator_filters: dict = field(default_factory=dict)
    denominator_adds_numerator: bool = False
    comparison_measure: str = ""
    comparison_area: str = ""

    @classmethod
    def of(cls, mapping) -> "Route":
        return cls(
            id=mapping.id,
            indicator_id=mapping.indicator_id,
            percent=mapping.indicator.unit == "pct",
            label=str(mapping),
            table=mapping.table.upper(),
            measure=mapping.measure,
            filters=mapping.filters,
            denominator_table=(mapping.denominator_table or mapping.table).upper(),
            denominator_measure=mapping.denominator_measure,
            denominator_filters=mapping.denominator_filters,
            denominator_adds_numerator=mapping.denominator_adds_numerator,
            comparison_measure=mapping.comparison_measure,
            comparison_area=mapping.comparison_area,
        )

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator_measure)


@dataclass
class Indicators:
    """What the template route needs to know of the indicators: {key "6.10-1": (id, is a share)}."""

    by_key: dict[str, tuple[int, bool]]


@dataclass
class Prepared:
    rows: pd.DataFrame  # COLUMNS, one row per observation
    rows_read: int
    rows_imported: int
    notes: list[str] = field(default_factory=list)  # warnings first, each starting with WARNING
    benchmark: list[dict] = field(default_factory=list)
    parts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PART_COLUMNS))
    # The full-time persons of a table "Antal personer og fuldtidspersoner" (plans.imports.benefit_figures).
    benefits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=benefit_figures.FIELDS))

    @property
    def warnings(self) -> list[str]:
        return [n for n in self.notes if n.startswith(WARNING)]


# --- numbers ---------------------------------------------------------------------------------------


def _distinct(series: pd.Series, function) -> pd.Series:
    """Apply a Series -> Series function to the distinct values only, then spread the result as a categorical.

    Extracts repeat few values (98 areas, a few periods and groups, share values), so this
    turns a million string operations into thousands, and the result is a million small codes
    (compared, copied and sent to the parent process as numbers) over those few values.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = pd.Categorical(function(pd.Series([*uniques, None], dtype=object)).to_numpy())
    # Code -1 (missing) takes the appended None's code.
    return pd.Series(pd.Categorical.from_codes(mapped.codes[codes], dtype=mapped.dtype), index=series.index)


def _parse_distinct(column: pd.Series) -> pd.DataFrame:
    is_text = column.map(type).eq(str)
    is_number = column.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    text = column.where(is_text).astype("string").str.strip()
    missing = (is_text & text.isin(MISSING)).fillna(False) | column.isna()
    valid_text = text.str.fullmatch(NUMBER).fillna(False)
    from_text = pd.to_numeric(
        text.where(valid_text).str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    )
    from_numbers = pd.to_numeric(column.where(is_number & ~column.isna()), errors="coerce")
    values = from_text.astype("float64").fillna(from_numbers.astype("float64"))
    values = values.where(np.isfinite(values))  # inf and 1e400 are not numbers a table can hold
    return pd.DataFrame(
        {"value": values, "missing": missing.astype(bool), "invalid": (~missing & values.isna()).astype(bool)}
    )


def parse_numbers(column: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers as float, missing mask, invalid mask). Text is read the Danish way (1.234,5);
    numbers that are already numbers (JSON, XLSX) are taken as they are; lists, objects, booleans
    and infinities are invalid."""
    # Only cells of a column of any type (JSON) can be lists or objects; a text column (CSV) is factorised as it is.
    hashable = column if isinstance(column.dtype, pd.StringDtype) else column.map(_hashable)
    codes, uniques = pd.factorize(hashable, use_na_sentinel=True)
    parsed = _parse_distinct(pd.Series([*uniques, None], dtype=object))
    take = lambda name, dtype: pd.Series(parsed[name].to_numpy()[codes], index=column.index, dtype=dtype)  # noqa: E731
    return take("value", "float64"), take("missing", bool), take("invalid", bool)


def _hashable(value):
    """JSON cells may be lists or objects; they are invalid, but factorize needs something hashable."""
    return repr(value) if isinstance(value, (list, dict)) else value


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# What a column holds, read from its name: jobindsats.dk names shares "... (pct.)" or "Andel ...",
# differences "Forskel ..." and "(pct. point)". The kind fixes the allowed range.
def column_kind(name: str) -> str:
    folded = name.casefold()
    if any(word in folded for word in ("forskel", "ændring", "udvikling", "point")):
        return "difference"
    if any(word in folded for word in ("pct", "andel", "procent", "%", "grad")):
        return "share"
    return "count"


RANGES = {
    # kind: (lowest, highest, message)
    "share": (0, 100, "ligger uden for 0-100 %, men kolonnen er en andel i procent."),
    "count": (0, None, "er negativ, men kolonnen er et antal eller en placering."),
    "difference": (None, None, ""),
}


class _Collector:
    def __init__(self):
        self.errors: list[str] = []
        self.error_count = 0

    def add(self, rows: pd.Series, column: str, cells: pd.Series, problem: Callable[[str], str]) -> None:
        self.error_count += len(rows)
        for row, cell in zip(rows.head(max(MAX_ERRORS - len(self.errors), 0)), cells):
            self.errors.append(f"Række {row}, kolonne '{column}': {problem(_fmt(cell))}")

    def result(self) -> list[str]:
        extra = self.error_count - len(self.errors)
        return self.errors + ([f"… og {extra} fejl mere."] if extra > 0 else [])


@dataclass
class _Column:
    values: pd.Series
    missing: pd.Series


def split_columns(frame: pd.DataFrame, keys: set, named: set = frozenset()) -> tuple[dict[str, tuple], list[str]]:
    """({measure column: (values, missing, invalid)}, [dimension columns]).

    A column is a measure when any of its distinct values reads as a number: then every other
    value in it must, too ("12,5%x" in a share column is an error, not a label). So is a column a
    mapping `named` as a measure. The others describe rows (Køn, Ydelsesgrupper).
    """
    measures, dimensions = {}, []
    for column in frame.columns:
        if column in keys:
            continue
        parsed = parse_numbers(frame[column])
        if column in named or parsed[0].notna().any():
            measures[column] = parsed
        else:
            dimensions.append(column)
    return measures, dimensions


def _check_measures(frame: pd.DataFrame, keys: set, named: set, errors: _Collector) -> dict[str, _Column]:
    """Every cell of every measure column: a number, within the column's range, small enough for the database."""
    parsed, _dimensions = split_columns(frame, keys, named)
    measures = {}
    for column, (values, missing, invalid) in parsed.items():
        errors.add(frame.loc[invalid, ROW], column, frame.loc[invalid, column], lambda v: f"'{v}' er ikke et tal.")
        too_large = values.abs() >= DATABASE_LIMIT
        errors.add(
            frame.loc[too_large, ROW],
            column,
            values[too_large],
            lambda v: f"{v} er for stort et tal (højst 99.999.999.999).",
        )
        kind = column_kind(column)
        low, high, problem = RANGES[kind]
        if kind == "difference" and "point" in column.casefold():
            low, high, problem = -100, 100, "ligger uden for ±100 procentpoint."
        outside = pd.Series(False, index=frame.index)
        if low is not None:
            outside |= values < low
        if high is not None:
            outside |= values > high
        outside &= ~too_large
        errors.add(frame.loc[outside, ROW], column, values[outside], lambda v, problem=problem: f"{v} {problem}")
        measures[column] = _Column(values, missing)
    return measures


# --- finding the columns a mapping names -------------------------------------------------------------


def _find_column(columns, label: str) -> str | None:
    """A mapping names a column by its full label or by the part after "<group>: "."""
    wanted = " ".join(label.split()).casefold()
    for column in columns:
        name = " ".join(str(column).split()).casefold()
        if name == wanted or name.rsplit(": ", 1)[-1] == wanted:
            return column
    return None


@dataclass
class _Selector:
    """A measure in the rows whose dimension columns hold the given values."""

    measure: str
    filters: dict[str, str]


def _selector(columns, measure: str, filters: dict) -> _Selector | str:
    """The selector, or the first label the file lacks."""
    found = _find_column(columns, measure)
    if found is None:
        return measure
    resolved = {}
    for label, value in filters.items():
        column = _find_column(columns, label)
        if column is None:
            return label
        resolved[column] = value
    # In the file's column order: PostgreSQL's jsonb keeps no key order, and messages must read the same everywhere.
    order = list(columns)
    return _Selector(found, dict(sorted(resolved.items(), key=lambda item: order.index(item[0]))))


# --- prepare ---------------------------------------------------------------------------------------------


@dataclass
class _Frame:
    """The extract with its keys normalised and its columns checked, shared by the routes."""

    data: pd.DataFrame
    area: str
    period: str
    measures: dict[str, _Column]
    periods: dict
    usable: pd.Series  # rows whose area is known and whose period parsed
    folded: dict[str, pd.Series] = field(default_factory=dict)

    def select(self, selector: _Selector) -> pd.Series:
        wanted = self.usable.copy()
        for column, value in selector.filters.items():
            if column not in self.folded:  # categorical: compared once per route, by codes
                self.folded[column] = _distinct(self.data[column], lambda s: s.astype(str).str.strip().str.casefold())
            wanted &= self.folded[column] == value.strip().casefold()
        return wanted & ~self.measures[selector.measure].missing

    @cached_property
    def period_columns(self) -> dict[str, pd.Series]:
        """Each row's period as an observation holds it, worked out once for all the routes.

        Dates as ISO text: both databases take it, and it is written a million times faster than date objects.
        """

        def each(attribute):
            return _distinct(
                self.data[self.period], lambda s: s.map(self.periods.get).map(attribute, na_action="ignore")
            )

        return {
            "period_code": each(lambda p: p.code),
            "period_start": each(lambda p: p.start.isoformat()),
            "period_end": each(lambda p: p.end.isoformat()),
        }


def prepare(
    extract: Extract,
    routes: list[Route],
    table: str = "",
    indicators: Indicators | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Prepared:
    data = extract.frame
    area_col, period_col = extract.area_column, extract.period_column
    # Areas and periods as categories: a few hundred values over a million rows, compared by their codes.
    data = data.assign(
        **{
            area_col: _distinct(data[area_col], areas.normalise),
            period_col: _distinct(data[period_col], lambda s: s.astype(str).str.strip().str.upper()),
        }
    )
    errors, notes = _Collector(), []
    keys = {area_col, period_col, ROW} | ({TEMPLATE_KEY} if TEMPLATE_KEY in data.columns else set())
    measures = _check_measures(data, keys, _named_measures(data.columns, routes), errors)
    periods, bad_periods = _periods(data[period_col])
    bad = data[period_col].isin(bad_periods)
    errors.add(
        data.loc[bad, ROW],
        period_col,
        data.loc[bad, period_col],
        lambda v: f"'{v}' er ikke en kendt periode (fx 2024M03, 2024Q1, 2024H1, 2024 eller 2024QMAT02).",
    )
    if errors.error_count:
        raise ImportErrors(errors.result())
    known = data[area_col].isin(areas.KNOWN_AREAS)
    notes += _area_notes(data[area_col], known)
    frame = _Frame(data, area_col, period_col, measures, periods, known & ~bad)

    benefits = None
    if TEMPLATE_KEY in data.columns:
        rows, used = _template_rows(frame, indicators or Indicators({}), errors)
        parts = pd.DataFrame(columns=PART_COLUMNS)
    else:
        problems = _benchmark_problems(data.columns, table)
        benefits, refused = _benefit_rows(frame, table)
        try:
            fed = benefits.columns if benefits is not None else None
            rows, parts, used = _mapped_rows(frame, routes, table, errors, notes, progress, fed)
        except ImportErrors as error:
            raise ImportErrors(problems + refused + error.messages) from None
        if problems:
            raise ImportErrors(problems)
        if benefits is not None:
            used |= benefits.used
        notes[:0] = [f"{WARNING}{message} Koblingernes tal er indlæst." for message in refused]
    if rows.duplicated(subset=KEY).any():  # rare: then exact repeats are dropped, and different values refused
        rows = rows.drop_duplicates(subset=[*COLUMNS])
        _check_duplicates(rows, errors)
    if errors.error_count:
        raise ImportErrors(errors.result())
    benchmark = _benchmark_rows(frame)
    imported = int(used.sum())
    prepared = Prepared(rows[COLUMNS].reset_index(drop=True), len(data), imported, notes, benchmark, parts)
    if benefits is not None:
        prepared.benefits = benefits.rows
    return prepared


def _benefit_rows(frame: _Frame, table: str) -> tuple[benefit_figures.BenefitRows | None, list[str]]:
    """The total rows of a table of full-time persons (the budget follow-up's), or why the file cannot give them.
    (None, []) for another table."""
    if not benefit_figures.concerns(table):
        return None, []
    try:
        return benefit_figures.prepare(frame, table, _find_column, _listed), []
    except benefit_figures.Refused as refused:
        return None, [refused.message]


def _named_measures(columns, routes: list[Route]) -> set:
    labels = [label for r in routes for label in (r.measure, r.denominator_measure, r.comparison_measure) if label]
    return {c for c in (_find_column(columns, label) for label in [*labels, "Værdi", "Sammenligning"]) if c}


def _periods(codes: pd.Series) -> tuple[dict, dict]:
    """Parse each distinct period code once: ({code: Period}, {code: error message})."""
    parsed, failed = {}, {}
    for code in codes.dropna().unique():
        try:
            parsed[code] = parse_period(str(code))
        except PeriodError as error:
            failed[code] = str(error)
    return parsed, failed


def _area_notes(names: pd.Series, known: pd.Series) -> list[str]:
    """Rows whose area jobindsats.dk could not place, or the portal does not know, are left out and named.

    An unknown name does not refuse the file: one renamed area must not keep the committee from
    the rest of a national extract. The report names it, so an administrator can act.
    """
    notes = []
    counts = names[~known].value_counts()
    counts = counts[counts > 0]  # a category counts even where no row has it
    unplaced = int(counts.get(areas.UNPLACED, 0))
    counts = counts.drop(areas.UNPLACED, errors="ignore")
    if unplaced:
        rows = "1 række" if unplaced == 1 else f"{unplaced} rækker"
        notes.append(
            f"{rows} med '{areas.UNPLACED}' (personer, jobindsats.dk ikke kan placere i en kommune) er ikke med i tallene."
        )
    if not counts.empty:
        listed = ", ".join(
            f"'{_fmt(name)}' ({'1 række' if count == 1 else f'{count} rækker'})"
            for name, count in counts.head(20).items()
        )
        more = f" og {len(counts) - 20} flere" if len(counts) > 20 else ""
        notes.append(f"Ukendte områder blev sprunget over: {listed}{more}.")
    return notes


def _observations(
    frame: _Frame, rows: pd.Series, indicator_id: int, values: pd.Series, comparisons: pd.Series
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "area": frame.data[frame.area][rows],
            **{name: column[rows] for name, column in frame.period_columns.items()},
            "value": values[rows].round(3),
            "comparison": comparisons[rows].round(3),
            ROW: frame.data[ROW][rows],
        }
    )


def _template_rows(frame: _Frame, indicators: Indicators, errors: _Collector) -> tuple[pd.DataFrame, pd.Series]:
    """The local template: a row per indicator, area and period, with "Værdi" and "Sammenligning"."""
    data = frame.data
    value_col = _find_column(data.columns, "Værdi")
    if value_col is None:
        raise ImportErrors(["Skabelonen mangler kolonnen 'Værdi'. Hent en ny skabelon under Dataimport."])
    comparison_col = _find_column(data.columns, "Sammenligning")
    keys = _distinct(data[TEMPLATE_KEY], lambda s: s.astype(str).str.strip())
    unknown = ~keys.isin(list(indicators.by_key)) & data[TEMPLATE_KEY].notna()
    errors.add(
        data.loc[unknown, ROW],
        TEMPLATE_KEY,
        data.loc[unknown, TEMPLATE_KEY],
        lambda v: f"'{v}' er ikke en indikator i planen (fx 6.10-1).",
    )
    empty = pd.Series(np.nan, index=data.index)
    value = frame.measures.get(value_col)
    if value is None:  # no number at all in the column
        return pd.DataFrame(columns=COLUMNS + [ROW]), pd.Series(False, index=data.index)
    comparison = frame.measures[comparison_col].values if comparison_col in frame.measures else empty
    parts, used = [], pd.Series(False, index=data.index)
    for key, (indicator_id, percent) in indicators.by_key.items():
        rows = frame.usable & (keys == key) & ~value.missing
        if not rows.any():
            continue
        if percent:
            outside = rows & ((value.values < 0) | (value.values > 100) | (comparison < 0) | (comparison > 100))
            errors.add(
                data.loc[outside, ROW],
                value_col,
                value.values[outside],
                lambda v: f"{v} ligger uden for 0-100 %, men indikatoren er en andel i procent.",
            )
        parts.append(_observations(frame, rows, indicator_id, value.values, comparison))
        used |= rows
    return (pd.concat(parts) if parts else pd.DataFrame(columns=COLUMNS + [ROW])), used


def _mapped_rows(frame: _Frame, routes: list[Route], table: str, errors, notes, progress, fed: set | None = None):
    """An extract's rows through its mappings: (observations, ratio parts, rows used); notes and errors added to.

    `fed`: the columns something besides the mappings takes from the file (the full-time persons); then no
    mapping, or only empty ones, is no error."""
    required = fed is None
    applicable = _applicable(frame, routes, table, required)
    gathered = _Gathered(pd.Series(False, index=frame.data.index))
    for route, sides in applicable:
        for side, selector in sides.items():
            _gather(frame, route, side, selector, gathered, errors)
        progress(len(frame.data))
    warnings, empty = _account(frame, applicable, gathered.received, table, required)
    notes[:0] = warnings
    notes += _unused_notes(frame, gathered.columns | (fed or set()))
    # An empty mapping's other side must not meet stored parts of earlier files: its share is left as it was.
    parts = [p for p in gathered.parts if not p.empty and int(p["mapping_id"].iat[0]) not in empty]
    rows = pd.concat(gathered.rows) if gathered.rows else pd.DataFrame(columns=COLUMNS + [ROW])
    parts = pd.concat(parts) if parts else pd.DataFrame(columns=PART_COLUMNS)
    return rows, parts, gathered.used


@dataclass
class _Gathered:
    """What the mappings take from the file, gathered mapping by mapping and side by side."""

    used: pd.Series  # rows some mapping takes
    rows: list[pd.DataFrame] = field(default_factory=list)  # observations, a frame per mapping
    parts: list[pd.DataFrame] = field(default_factory=list)  # a share's numerator or denominator, per side
    columns: set = field(default_factory=set)  # the columns the mappings read
    received: dict[int, dict[str, bool]] = field(default_factory=dict)  # {route id: {side: got rows}}


def _applicable(
    frame: _Frame, routes: list[Route], table: str, required: bool
) -> list[tuple[Route, dict[str, _Selector]]]:
    """The routes that concern the file, with what it holds of each; ImportErrors when a column is missing or none applies."""
    columns = frame.data.columns
    applicable, missing = [], []
    for route in routes:
        sides = _sides(route, table, columns)
        if isinstance(sides, str):
            missing.append(_missing_column(route, sides, table, columns))
        elif sides is not None:
            applicable.append((route, sides))
    if missing:
        raise ImportErrors(missing)
    if not applicable and required:
        raise ImportErrors([_nothing_mapped(frame, routes, table)])
    return applicable


def _nothing_mapped(frame: _Frame, routes: list[Route], table: str) -> str:
    measures = ", ".join(f"'{c}'" for c in frame.measures) or "ingen"
    which = f" (tabel {table})" if table else ""
    tied = any(r.table and isinstance(_sides(r, r.table, frame.data.columns), dict) for r in routes)
    hint = (
        " Koblinger til en bestemt tabel bruges kun, når filens tabel kendes: skriv den i feltet Jobindsats-tabel, "
        "eller giv filen et navn med tabellen, fx y09a02_udtraek.csv."
        if not table and tied
        else ""
    )
    return (
        f"Ingen af filens målinger{which} er koblet til en indikator, så intet er indlæst. Filens målinger: {measures}. "
        f"En administrator kan oprette koblingen under Dataimport → Koblinger.{hint}"
    )


def _gather(frame: _Frame, route: Route, side: str, selector: _Selector, gathered: _Gathered, errors) -> None:
    """One side of a route: its rows become a share's part, or observations (a share's range checked)."""
    gathered.columns |= {selector.measure, *selector.filters}
    rows = frame.select(selector)
    gathered.received.setdefault(route.id, {})[side] = bool(rows.any())
    gathered.used |= rows
    values = frame.measures[selector.measure].values
    if route.is_ratio:
        gathered.parts.append(_parts(frame, rows, route, side, values))
        return
    if route.percent:
        outside = rows & ((values < 0) | (values > 100))
        errors.add(
            frame.data.loc[outside, ROW],
            selector.measure,
            values[outside],
            lambda v: f"{v} ligger uden for 0-100 %, men indikatoren er en andel i procent.",
        )
    observations = _observations(frame, rows, route.indicator_id, values, _comparison_column(frame, route))
    gathered.rows.append(_compared_with_area(observations, route.comparison_area))


def _unused_notes(frame: _Frame, used_columns: set) -> list[str]:
    """The measure columns no mapping reads (the benchmark's are read apart), and a file without the portal's area."""
    notes = []
    benchmark = _benchmark_columns(frame.data.columns)
    if all(benchmark):
        used_columns = used_columns | set(benchmark)
    unmapped = [c for c in frame.measures if c not in used_columns]
    if unmapped:
        notes.append(
            "Kolonner uden kobling blev kontrolleret, men ikke indlæst: " + ", ".join(f"'{c}'" for c in unmapped) + "."
        )
    if not (frame.data[frame.area] == settings.PORTAL_AREA).any():
        notes.append(f"Filen har ingen rækker for {settings.PORTAL_AREA}, så målenes egne tal er ikke ændret.")
    return notes


# --- every mapping accounted for (docs/imports.md) -------------------------------------------------------


def _account(frame: _Frame, applicable, received: dict, table: str, required: bool) -> tuple[list[str], set[int]]:
    """Every mapping that concerns the file receives rows, or the administrator is told which does not.

    Returns the warnings and the ids of the empty mappings. When no mapping receives a row, the import
    fails (a success that changes nothing would hide it). When some do, each empty one is a warning:
    choosing some groups is how an extract is made on jobindsats.dk, and the others' figures are sound.
    """
    empty = [
        (route, side, selector)
        for route, sides in applicable
        for side, selector in sides.items()
        if not received[route.id][side]
    ]
    messages = [_empty_message(frame, route, side, selector, table) for route, side, selector in empty]
    ids = {route.id for route, _side, _selector in empty}
    if required and ids and all(route.id in ids for route, _sides in applicable):
        raise ImportErrors(messages)
    kept = "Koblingens tal er ikke ændret; de andre koblingers tal er indlæst."
    return [f"{WARNING}{message} {kept}" for message in messages], ids


def _listed(values, limit: int = MAX_LISTED) -> str:
    values = list(values)
    shown = ", ".join(f"'{_fmt(v)}'" for v in values[:limit]) or "ingen"
    return shown + (f" og {len(values) - limit} flere" if len(values) > limit else "")


def _file_columns(columns) -> str:
    return _listed([c for c in columns if c != ROW])


def _missing_column(route: Route, label: str, table: str, columns) -> str:
    source = f" (tabel {table})" if table else ""
    return (
        f"Koblingen '{route.label}' bruger kolonnen '{label}', som ikke findes i filen{source}. "
        f"Filens kolonner: {_file_columns(columns)}. "
        "Ret koblingen under Dataimport → Koblinger, eller hent et udtræk med kolonnen."
    )


def _empty_message(frame: _Frame, route: Route, side: str, selector: _Selector, table: str) -> str:
    part = {"numerator": " (tælleren)", "denominator": " (nævneren)"}.get(side, "") if route.is_ratio else ""
    source = f" (tabel {table})" if table else ""
    wanted = " og ".join(f"{column} = '{value}'" for column, value in selector.filters.items())
    looked = f"målingen '{selector.measure}'" + (f" i rækker med {wanted}" if wanted else "")
    return (
        f"Koblingen '{route.label}'{part} fik ingen rækker fra filen{source}. Den leder efter {looked}. "
        f"{_why_empty(frame, selector)}"
    )


def _why_empty(frame: _Frame, selector: _Selector) -> str:
    """What the file has where the mapping looked: the values of the first filter column that misses."""
    rows = pd.Series(True, index=frame.data.index)
    narrowed = []
    for column, value in selector.filters.items():
        matching = rows & (frame.folded[column] == value.strip().casefold())
        if not matching.any():
            found = frame.data.loc[rows, column].dropna().astype(str).str.strip().unique()
            among = f" (blandt rækkerne med {' og '.join(narrowed)})" if narrowed else ""
            return f"Kolonnen '{column}' har ikke værdien '{value}'{among}; filens værdier: {_listed(sorted(found))}."
        narrowed.append(f"{column} = '{value}'")
        rows = matching
    if not (rows & frame.usable).any():
        return "Rækkerne har intet område, portalen kender (se bemærkningerne om ukendte områder)."
    return f"Kolonnen '{selector.measure}' er tom (fx '..') i alle de rækker."


def _sides(route: Route, table: str, columns) -> dict[str, _Selector] | str | None:
    """What this file holds of a route: {"value"} or the ratio's {"numerator", "denominator"} present.

    None when the route does not concern the file; a label when the file should have it but lacks it.
    A route tied to a table is used on that table's files; on a file whose table is unknown, it is
    used when all its columns are there (but a ratio across two tables needs the table to be known).
    """
    return _ratio_sides(route, table, columns) if route.is_ratio else _value_side(route, table, columns)


def _value_side(route: Route, table: str, columns) -> dict[str, _Selector] | str | None:
    if table and route.table and route.table != table:
        return None
    found = _selector(columns, route.measure, route.filters)
    if isinstance(found, str):
        return found if table and route.table == table else None
    if route.comparison_measure and not _find_column(columns, route.comparison_measure):
        return route.comparison_measure
    return {"value": found}


def _ratio_sides(route: Route, table: str, columns) -> dict[str, _Selector] | str | None:
    if not table and route.table != route.denominator_table:
        return None  # a ratio across two tables: which side this file is cannot be known
    wanted = {}
    for side, side_table, measure, filters in (
        ("numerator", route.table, route.measure, route.filters),
        ("denominator", route.denominator_table, route.denominator_measure, route.denominator_filters),
    ):
        if table and side_table and side_table != table:
            continue
        found = _selector(columns, measure, filters)
        if isinstance(found, str):
            return found if table and side_table == table else None
        wanted[side] = found
    return wanted or None


def _comparison_column(frame: _Frame, route: Route) -> pd.Series:
    if not route.comparison_measure:
        return pd.Series(np.nan, index=frame.data.index)
    column = _find_column(frame.data.columns, route.comparison_measure)
    return frame.measures[column].values if column in frame.measures else pd.Series(np.nan, index=frame.data.index)


def _parts(frame: _Frame, rows: pd.Series, route: Route, side: str, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mapping_id": route.id,
            "part": "taeller" if side == "numerator" else "naevner",
            "area": frame.data[frame.area][rows],
            "period_code": frame.period_columns["period_code"][rows],
            "value": values[rows].round(3),
        }
    )


def ratio_observations(parts: pd.DataFrame, routes: list[Route]) -> pd.DataFrame:
    """Shares from numerator and denominator parts: 100 × n / (d [+ n]), per route, area and period."""
    out = []
    for route in routes:
        mine = parts[parts["mapping_id"] == route.id]
        if mine.empty:
            continue
        wide = mine.pivot_table(index=["area", "period_code"], columns="part", values="value", aggfunc="last")
        if not {"taeller", "naevner"} <= set(wide.columns):
            continue
        wide = wide.dropna(subset=["taeller", "naevner"]).astype("float64")
        denominator = wide["naevner"] + (wide["taeller"] if route.denominator_adds_numerator else 0)
        wide = wide[denominator > 0]
        share = (100 * wide["taeller"] / denominator[denominator > 0]).round(3)
        share = share[(share >= 0) & (share <= 100)]
        frame = share.rename("value").reset_index()
        periods = {code: parse_period(code) for code in frame["period_code"].unique()}
        frame = frame.assign(
            indicator_id=route.indicator_id,
            comparison=np.nan,
            period_start=frame["period_code"].map({c: p.start.isoformat() for c, p in periods.items()}),
            period_end=frame["period_code"].map({c: p.end.isoformat() for c, p in periods.items()}),
        )
        out.append(_compared_with_area(frame, route.comparison_area))
    return pd.concat(out)[COLUMNS] if out else pd.DataFrame(columns=COLUMNS)


def _compared_with_area(rows: pd.DataFrame, area: str) -> pd.DataFrame:
    """One route's rows with the comparison taken from another area's row of the same period (e.g. Hele landet)."""
    if not area:
        return rows
    reference = rows[rows["area"] == area].drop_duplicates("period_code")
    others = rows["area"] != area
    at = pd.Index(reference["period_code"]).get_indexer(rows.loc[others, "period_code"])
    # Position -1 (no row of the area in that period) takes the appended NaN.
    rows.loc[others, "comparison"] = np.append(reference["value"].to_numpy(dtype="float64"), np.nan)[at]
    return rows


def _check_duplicates(rows: pd.DataFrame, errors: _Collector) -> None:
    repeated = rows[rows.duplicated(subset=KEY, keep=False)]
    for (_, area, period), group in repeated.groupby(KEY, sort=False):
        errors.error_count += 1
        if len(errors.errors) < MAX_ERRORS:
            listed = " og ".join(str(r) for r in group[ROW]) if ROW in group else ""
            values = " og ".join(_fmt(v) for v in group["value"])
            errors.errors.append(
                f"Række {listed}: {area}, {period} står flere gange med forskellige værdier ({values})."
            )


# --- the minister's benchmark (table Y30R21) -----------------------------------------------------------


BENCHMARK_LABELS = (
    BENCHMARK_PREFIX + "Forventet antal",
    BENCHMARK_PREFIX + "Faktisk antal",
    RANK_COLUMN,
    "Ydelsesgrupper",
)


def _benchmark_columns(columns) -> tuple:
    """(expected, actual, rank, benefit group) columns of table Y30R21; None where missing."""
    return tuple(_find_column(columns, label) for label in BENCHMARK_LABELS)


def _benchmark_problems(columns, table: str) -> list[str]:
    """A Y30R21 file (or one with some of its benchmark columns) must hold all of them.

    Without them the ranking would silently not be updated, while the file's figures for goal 1.1 were.
    """
    found = _benchmark_columns(columns)
    if table not in ("", BENCHMARK_TABLE) or all(found):
        return []
    if table != BENCHMARK_TABLE and not any(found[:3]):
        return []  # not a benchmark file
    missing = ", ".join(f"'{label}'" for label, column in zip(BENCHMARK_LABELS, found) if column is None)
    which = "er fra tabel" if table else "ligner tabel"
    return [
        f"Filen {which} {BENCHMARK_TABLE} (ministerens benchmark), men kolonnen {missing} findes ikke i den, "
        f"så benchmarkranglisten kan ikke opdateres, og intet er indlæst. Filens kolonner: {_file_columns(columns)}. "
        "Hent udtrækket med alle tabellens kolonner, eller ret kolonnens navn i filen."
    ]


def _benchmark_rows(frame: _Frame) -> list[dict]:
    """The minister's benchmark list, when the extract has it: every municipality's row.

    The portal's own area's rows become its benchmark table (BenchmarkResult); all rows together
    are the ranking of the municipalities (BenchmarkRank).
    """
    expected, actual, rank, group = _benchmark_columns(frame.data.columns)
    if None in (expected, actual, rank, group) or not {expected, actual, rank} <= frame.measures.keys():
        return []
    ranked = frame.usable & frame.data[frame.area].isin(areas.MUNICIPALITIES | {settings.PORTAL_AREA})
    numbers = {c: frame.measures[c].values[ranked] for c in (expected, actual, rank)}
    return [
        {
            "period": frame.periods[p],
            "area": area,
            "group": str(g).strip(),
            "expected": int(e),
            "actual": int(a),
            "rank": int(r),
        }
        for area, p, g, e, a, r in zip(
            frame.data.loc[ranked, frame.area],
            frame.data.loc[ranked, frame.period],
            frame.data.loc[ranked, group],
            numbers[expected],
            numbers[actual],
            numbers[rank],
        )
        if not (np.isnan(e) or np.isnan(a) or np.isnan(r))
    ]
