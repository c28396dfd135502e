"""XLSX files that say one thing and are another (issue 22), written straight as zip and sheet XML.

One row of millions of cells under a <dimension ref="A1:C2"> that lies: openpyxl would build
every cell of that row (about 0.5 KB each). Written in chunks, so building the file costs little
memory; the cell values vary (as in the attack) so the archive does not compress like a zip bomb.
"""

import io
import zipfile
from xml.sax.saxutils import escape

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _cell(value) -> str:
    if isinstance(value, (int, float)):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _row(values) -> str:
    return "<row>" + "".join(_cell(v) for v in values) + "</row>"


def workbook(
    sheets: dict[str, list], wide_row: tuple[str, int, int] | None = None, dimension="A1:C2", extra: str = ""
) -> bytes:
    """An XLSX with these sheets ({name: rows}); `wide_row` = (sheet, after row number, cells) adds
    one row of that many numeric cells to that sheet; `extra` is XML put at the end of every sheet's
    data. Every sheet declares `dimension`."""
    out = io.BytesIO()
    names = list(sheets)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
            for i in range(1, len(names) + 1)
        )
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} xmlns:r="{_REL_NS}"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1))
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for i, name in enumerate(names, start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><dimension ref="{dimension}"/>'
                    "<sheetData>".encode()
                )
                for number, row in enumerate(sheets[name], start=1):
                    sheet.write(_row(row).encode())
                    if wide_row and wide_row[0] == name and wide_row[1] == number:
                        _write_wide_row(sheet, wide_row[2])
                sheet.write(f"{extra}</sheetData></worksheet>".encode())
    return out.getvalue()


def _write_wide_row(sheet, cells: int) -> None:
    # A block of varied values, repeated: each block is far longer than deflate's 32 KiB window.
    chunk = 100_000
    block = _cells(chunk)
    sheet.write(b"<row>")
    for start in range(0, cells, chunk):
        count = min(chunk, cells - start)
        sheet.write(block if count == chunk else _cells(count))
    sheet.write(b"</row>")


def _cells(count: int) -> bytes:
    return "".join(f"<c><v>{(n * 7919) % 100_003}</v></c>" for n in range(count)).encode()


def replace_in_sheets(raw: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with `old` replaced by `new` in every sheet's XML."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item.filename, data.replace(old, new) if "worksheets/" in item.filename else data)
    return out.getvalue()
