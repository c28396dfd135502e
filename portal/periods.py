"""Period codes as jobindsats.dk and the committee write them, parsed into start and end dates.

2024M03      month
2024Q1       quarter (2024K1, as Danish users type it, means the same)
2024H2       half-year
2024         year
2021QMAT02   moving annual total: the twelve months ending with quarter 02 of 2021
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

# Short month names for chart axes ("mar. 2024"); the context keeps "maj" apart from the full name.
MONTHS_SHORT = [
    pgettext_lazy("kort måned", "jan."),
    pgettext_lazy("kort måned", "feb."),
    pgettext_lazy("kort måned", "mar."),
    pgettext_lazy("kort måned", "apr."),
    pgettext_lazy("kort måned", "maj"),
    pgettext_lazy("kort måned", "jun."),
    pgettext_lazy("kort måned", "jul."),
    pgettext_lazy("kort måned", "aug."),
    pgettext_lazy("kort måned", "sep."),
    pgettext_lazy("kort måned", "okt."),
    pgettext_lazy("kort måned", "nov."),
    pgettext_lazy("kort måned", "dec."),
]


class PeriodError(ValueError):
    """The text is not a period code the portal knows."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str  # month, quarter, half, year, mat
    code: str  # canonical form: 2024M03, 2024Q1, 2024H2, 2024, 2021QMAT02

    @property
    def label(self) -> str:
        """The period in the active language, made when shown: in Danish as the committee's documents
        write periods (marts 2024, 1. kvt. 2024, 2. halvår 2024, 2. halvår 2020 - 1. halvår 2021), in
        English March 2024, Q1 2024, H2 2024, H2 2020 – H1 2021. Store no label: store the code."""
        if self.kind == "month":
            return date_format(self.start, "F Y")  # Django's month names: marts / March
        if self.kind == "quarter":
            return _("%(quarter)s. kvt. %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "half":
            return _("%(half)s. halvår %(year)s") % {"half": 1 if self.start.month == 1 else 2, "year": self.start.year}
        if self.kind == "year":
            return str(self.start.year)
        if self.start.month in (1, 7):
            first, last = half_year_of(self.start), half_year_of(self.end)
            return pgettext("periode fra og til", "%(first)s - %(last)s") % {"first": first.label, "last": last.label}
        return _("12 mdr. til og med %(quarter)s") % {"quarter": quarter_of(self.end).label}

    @property
    def short_label(self) -> str:
        """A label short enough for a chart axis, in the active language: mar. 2024, K1 2024,
        2. hv. 2022, 2024; a moving annual total by its first and last half-year or quarter
        (2. hv. 25-1. hv. 26). The spaces are non-breaking: a label wraps only after its dash."""
        if self.kind == "month":
            return f"{MONTHS_SHORT[self.start.month - 1]}\u00a0{self.start.year}"
        if self.kind == "quarter":
            return _short_quarter(self.start, str(self.start.year))
        if self.kind == "half":
            return _short_half(self.start, str(self.start.year))
        if self.kind == "year":
            return str(self.start.year)
        short = _short_half if self.start.month in (1, 7) else _short_quarter
        return (
            f"{short(self.start, f'{self.start.year % 100:02d}')}\u2013{short(self.end, f'{self.end.year % 100:02d}')}"
        )

    def shifted_years(self, years: int) -> "Period":
        """The same period `years` years later (earlier when negative)."""
        return parse_period(_with_year(self.code, int(self.code[:4]) + years, self.kind))


_PATTERNS = [
    (re.compile(r"^(\d{4})M(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})[QK]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})H([12])$"), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})QMAT0?([1-4])$"), "mat"),
]


@lru_cache(maxsize=8192)  # Periods are immutable, and pages parse the same few codes thousands of times
def parse_period(text: str) -> Period:
    code = str(text).strip().upper().replace(" ", "")
    for pattern, kind in _PATTERNS:
        match = pattern.match(code)
        if match:
            return _build(kind, int(match.group(1)), int(match.group(2)) if kind != "year" else 0, text)
    raise PeriodError(f"'{text}' er ikke en kendt periode (fx 2024M03, 2024Q1, 2024H2, 2024 eller 2021QMAT02)")


def _build(kind: str, year: int, n: int, text: str) -> Period:
    if not 1900 <= year <= 2200:
        raise PeriodError(f"'{text}' har et urimeligt årstal")
    if kind == "month":
        if not 1 <= n <= 12:
            raise PeriodError(f"'{text}' har en måned uden for 1-12")
        return Period(date(year, n, 1), _month_end(year, n), kind, f"{year}M{n:02d}")
    if kind == "quarter":
        return Period(date(year, 3 * n - 2, 1), _month_end(year, 3 * n), kind, f"{year}Q{n}")
    if kind == "half":
        return Period(date(year, 6 * n - 5, 1), _month_end(year, 6 * n), kind, f"{year}H{n}")
    if kind == "year":
        return Period(date(year, 1, 1), date(year, 12, 31), kind, str(year))
    end_month = 3 * n
    start = date(year, end_month + 1, 1) if end_month < 12 else date(year, 1, 1)
    start = start.replace(year=year - 1) if end_month < 12 else start
    return Period(start, _month_end(year, end_month), kind, f"{year}QMAT{n:02d}")


def _short_quarter(day: date, year: str) -> str:
    return (_("K%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": year}).replace(" ", "\u00a0")


def _short_half(day: date, year: str) -> str:
    return (_("%(half)s. hv. %(year)s") % {"half": 1 if day.month <= 6 else 2, "year": year}).replace(" ", "\u00a0")


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _with_year(code: str, year: int, kind: str) -> str:
    return str(year) if kind == "year" else f"{year}{code[4:]}"


def half_year_of(day: date) -> Period:
    return parse_period(f"{day.year}H{1 if day.month <= 6 else 2}")


def quarter_of(day: date) -> Period:
    return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")


# A month's code (2026M03), for a database filter (period_code__regex): a quarter or a moving year is another series.
MONTH_CODE = r"^[0-9]{4}M[0-9]{2}$"


def add_months(day: date, months: int) -> date:
    """The same day `months` months later (the month's last day where that day does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month
