"""Bound what an XLSX file is before openpyxl reads it, for the data import and the plan import alike.

    check(raw) -> zipfile.ZipFile      or raises Refused (a Danish message for the user)

openpyxl's read-only mode still builds every cell of a row it yields, whatever max_col asks for
(about 0.5 KB a cell), and trusts nothing but the XML. So the check does not trust what the file
says (its <dimension>) but counts what it holds: each worksheet's XML is streamed through expat,
with no tree built, and the count stops at the first element over a limit:

- the children of one <row> (openpyxl parses each as a cell): at most IMPORT_MAX_COLUMNS;
- the elements of one row: at most ROW_ELEMENTS_PER_COLUMN × IMPORT_MAX_COLUMNS;
- cells (<c>) in a sheet: at most IMPORT_MAX_XLSX_CELLS, and elements: at most
  ELEMENTS_PER_CELL × IMPORT_MAX_XLSX_CELLS (a cell is two or three: c, v or is, t).

The cost is linear in the unpacked size, which is bounded first, as are the other parts' sizes.
"""

import io
import re
import zipfile
import zlib
from xml.parsers import expat

from django.conf import settings

MAX_PART_BYTES = 16 * 1024 * 1024  # the workbook, styles and relations, unpacked
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # openpyxl holds every shared string in memory
ELEMENTS_PER_CELL = 4
ROW_ELEMENTS_PER_COLUMN = 10  # a cell with an inline string is three (c, is, t); rich text a few more
CHUNK_BYTES = 1024 * 1024
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"\$?([A-Za-z]{1,4})\$?(\d{1,8})(?::\$?([A-Za-z]{1,4})\$?(\d{1,8}))?\""
)


class Refused(Exception):
    """The workbook is over a limit or broken; the message is for the user (Danish)."""


class Broken(Refused):
    """The file is no readable archive or XML at all."""


def whole_number(number: int) -> str:
    """A whole number the Danish way: 1.048.576."""
    return f"{number:,}".replace(",", ".")


_n = whole_number  # as plans.imports.reading names it


def check(raw: bytes) -> zipfile.ZipFile:
    """The archive, once its sizes, declared dimensions and actual cells are within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Broken("XLSX-filen er beskadiget og kan ikke åbnes.") from None
    _check_sizes(members, len(raw))
    for member in members:
        if _SHEET.fullmatch(member.filename):
            _check_sheet(archive, member)
    return archive


def _check_sizes(members: list[zipfile.ZipInfo], size: int) -> None:
    unpacked = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > settings.IMPORT_MAX_XLSX_UNPACKED_BYTES or ratio > 200:
        raise Refused(
            f"XLSX-filen pakker ud til {unpacked // 1_000_000} MB (komprimeret {size // 1_000_000} MB). "
            "Det ligner en zip-bombe, og filen afvises."
        )
    for member in members:
        name = member.filename.lower()
        if name.startswith("xl/worksheets/") or not name.endswith((".xml", ".rels")):
            continue
        limit = MAX_SHARED_STRINGS_BYTES if name.endswith("sharedstrings.xml") else MAX_PART_BYTES
        if member.file_size > limit:
            raise Refused(
                f"XLSX-filens del '{member.filename[:80]}' pakker ud til {member.file_size // 1_000_000} MB; "
                f"et regneark fra Jobindsats har højst {limit // 1_000_000} MB der. Filen afvises."
            )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_dimension(start: bytes) -> None:
    """What the sheet declares: refused early with a message that says so (the count below is the bound)."""
    found = _DIMENSION.search(start)
    if not found:
        return
    columns = _column_number(found.group(3) or found.group(1))
    rows = int(found.group(4) or found.group(2))
    if columns > settings.IMPORT_MAX_COLUMNS:
        raise Refused(
            f"Regnearket siger, det har {_n(columns)} kolonner; importen læser højst {_n(settings.IMPORT_MAX_COLUMNS)}. "
            "Kopiér udtrækkets celler til et nyt regneark, eller gem det som CSV."
        )
    if columns * rows > settings.IMPORT_MAX_XLSX_CELLS:
        raise Refused(
            f"Regnearket siger, det har {_n(rows)} rækker og {_n(columns)} kolonner ({_n(columns * rows)} celler); "
            f"importen læser højst {_n(settings.IMPORT_MAX_XLSX_CELLS)} celler fra et regneark. "
            "Kopiér udtrækkets celler til et nyt regneark, gem det som CSV, eller del det op."
        )


class _SheetCounter:
    """A worksheet's cells, rows and XML elements, counted as expat reads them (start and end are its
    handlers); it refuses the sheet at the first limit passed, before the rest is read."""

    def __init__(self):
        self.max_columns, self.max_cells = settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_XLSX_CELLS
        self.max_row_elements = ROW_ELEMENTS_PER_COLUMN * self.max_columns
        self.max_elements = ELEMENTS_PER_CELL * self.max_cells
        self.cells = self.elements = self.rows = 0
        self.depth = self.row_depth = self.row_children = self.row_elements = (
            0  # row_depth: the open <row>'s, 0 outside one
        )

    def start(self, name, attributes):
        self.depth += 1
        self.elements += 1
        local = name.rpartition(":")[2]
        if self.row_depth:
            self._count_in_row()
        elif local == "row":
            self.rows += 1
            self.row_depth, self.row_children, self.row_elements = self.depth, 0, 0
        if local == "c":
            self.cells += 1
            if self.cells > self.max_cells:
                raise Refused(
                    f"Regnearket har over {_n(self.max_cells)} celler; importen læser højst {_n(self.max_cells)} "
                    "celler fra et regneark. Gem udtrækket som CSV, eller del det op."
                )
        if self.elements > self.max_elements:
            raise Refused(
                f"Regnearket har over {_n(self.max_elements)} XML-elementer; importen læser højst "
                f"{_n(self.max_cells)} celler fra et regneark. Gem udtrækket som CSV, eller del det op."
            )

    def _count_in_row(self):
        self.row_elements += 1
        if self.depth == self.row_depth + 1:
            self.row_children += 1
            if self.row_children > self.max_columns:
                raise Refused(
                    f"Række {_n(self.rows)} i regnearket har over {_n(self.max_columns)} celler; importen læser højst "
                    f"{_n(self.max_columns)} kolonner. Kopiér udtrækkets celler til et nyt regneark, eller gem det som CSV."
                )
        if self.row_elements > self.max_row_elements:
            raise Refused(
                f"Række {_n(self.rows)} i regnearket har over {_n(self.max_row_elements)} XML-elementer; en række i et "
                "udtræk har langt færre. Filen afvises."
            )

    def end(self, name):
        if self.depth == self.row_depth:
            self.row_depth = 0
        self.depth -= 1


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    counter = _SheetCounter()

    def no_declarations(*args):  # a worksheet has no DOCTYPE; entities are how XML bombs start
        raise Refused("XLSX-filen indeholder XML-erklæringer (DOCTYPE eller entiteter), som et regneark ikke har.")

    parser = expat.ParserCreate()  # no namespace processing: a name is "c" or "x:c"
    parser.StartElementHandler, parser.EndElementHandler = counter.start, counter.end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = no_declarations
    try:
        with archive.open(member) as sheet:
            first = True
            while chunk := sheet.read(CHUNK_BYTES):
                if first:
                    _check_dimension(chunk[: 64 * 1024])
                    first = False
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (Refused, MemoryError):
        raise
    except expat.ExpatError as error:
        raise Broken(
            f"XLSX-filens regneark er ikke gyldig XML (linje {error.lineno}) og kan ikke læses. Filen afvises."
        ) from None
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError, ValueError):
        # zipfile's kinds for a broken, encrypted or oddly compressed member; a time limit or
        # MemoryError is not a broken file and goes through
        raise Broken("XLSX-filen er beskadiget og kan ikke åbnes.") from None
