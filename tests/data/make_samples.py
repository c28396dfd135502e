"""Writes the shipped sample extracts: one made-up Y30R21 table in every format the import reads.

    python tests/data/make_samples.py

Shapes follow ../shared/formats (STAR's API v2/v3 and the website's Excel-style CSV); every
number is invented. tests/plans/imports/test_service.py checks that all formats give the same observations.
"""

import json
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
PREFIX = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "
MEASURES = ["Forventet antal", "Faktisk antal", "Forskel mellem forventet og faktisk antal"]
SHARE = "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: Faktisk andel (pct.)"
RANK = "Placering på benchmarkranglisten"
# (area, period, benefit group, expected, actual, actual share, rank)
ROWS = [
    ("Norddjurs", "2024QMAT02", "Ydelsesgrupper i alt", 2160, 2120, 9.31, 26),
    ("Norddjurs", "2024QMAT02", "A-dagpenge mv.", 420, 430, 1.89, 58),
    ("Norddjurs", "2024QMAT02", "Sygedagpenge mv.", 830, 770, 3.38, 7),
    ("Norddjurs", "2024QMAT02", "Kontanthjælp mv.", 910, 920, 4.04, 51),
    ("Syddjurs", "2024QMAT02", "Ydelsesgrupper i alt", 2470, 2440, 7.98, 33),
    ("Norddjurs", "2024QMAT04", "Ydelsesgrupper i alt", 2180, 2150, 9.44, 28),
    ("Norddjurs", "2024QMAT04", "A-dagpenge mv.", 440, 440, 1.93, 54),
    ("Norddjurs", "2024QMAT04", "Sygedagpenge mv.", 830, 790, 3.47, 9),
    ("Norddjurs", "2024QMAT04", "Kontanthjælp mv.", 910, 920, 4.04, 55),
    ("Syddjurs", "2024QMAT04", "Ydelsesgrupper i alt", 2490, 2450, 8.02, 34),
]
HEADER = ["Area", "Periode", "Ydelsesgrupper", *(PREFIX + m for m in MEASURES), SHARE, RANK]


def comma(number) -> str:
    return f"{number:.2f}".replace(".", ",")


def dotted(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def main():
    values = [(a, p, g, e, f, f - e, s, r) for a, p, g, e, f, s, r in ROWS]
    # API v2 JSON: counts as integers, shares as strings with decimal comma.
    v2 = [
        {
            "Variables": [{"Label": h} for h in HEADER],
            "Data": [[a, p, g, e, f, d, comma(s), r] for a, p, g, e, f, d, s, r in values],
        }
    ]
    (HERE / "sample_y30r21_api_v2.json").write_text(json.dumps(v2, ensure_ascii=False, indent=1), encoding="utf-8")
    # API v3 JSON: "Område", numbers as numbers, and a row jobindsats.dk cannot place.
    v3 = {
        "columns": ["Periode", "Område", *HEADER[2:]],
        "rows": [[p, a, g, e, f, d, s, r] for a, p, g, e, f, d, s, r in values]
        + [["2024QMAT04", "Uoplyst område", "Ydelsesgrupper i alt", 40, 30, -10, None, None]],
    }
    (HERE / "sample_y30r21_api_v3.json").write_text(json.dumps(v3, ensure_ascii=False, indent=1), encoding="utf-8")
    # API CSV: semicolons, decimal comma, UTF-8 with BOM (as the v3 CSV may carry).
    lines = [";".join(HEADER)] + [
        ";".join(map(str, [a, p, g, e, f, d, comma(s), r])) for a, p, g, e, f, d, s, r in values
    ]
    (HERE / "sample_y30r21_api.csv").write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    # Saved from Excel: Windows-1252, title rows, thousands dots, ".." for a missing share, source line.
    excel = [
        "Jobindsats.dk;;;;;;;",
        "Benchmark: forventet og faktisk antal (SYNTETISK EKSEMPEL);;;;;;;",
        ";;;;;;;",
        ";".join(["Område", *HEADER[1:]]),
    ]
    for i, (a, p, g, e, f, d, s, r) in enumerate(values):
        excel.append(";".join([a, p, g, dotted(e), dotted(f), str(d), ".." if i == 1 else comma(s), str(r)]))
    excel += [";;;;;;;", "Kilde: Jobindsats.dk, STAR (syntetiske tal);;;;;;;"]
    (HERE / "sample_y30r21_excel.csv").write_bytes(("\r\n".join(excel) + "\r\n").encode("cp1252"))
    # XLSX: a title row above the header, numbers as numbers.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Jobindsats.dk: benchmark (syntetisk eksempel)"])
    sheet.append(HEADER)
    for a, p, g, e, f, d, s, r in values:
        sheet.append([a, p, g, e, f, d, s, r])
    workbook.save(HERE / "sample_y30r21.xlsx")


if __name__ == "__main__":
    main()
