"""Writes the synthetic samples of the Jobindsats tables "Antal personer og fuldtidspersoner" beside this file.

Every number is made up (the file names say SYNTETISK); the layout is the API v2 CSV's (../shared/formats:
";" separated, decimal comma, the columns of STAR's example for Y01A02, "Køn i alt" beside the sexes).
The demo data set imports them through the real import (plans.services.demo), so the budget follow-up
and the key figures have three years to show. Run again with: python plans/seed/synthetic/generate.py
"""

import csv
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2022, 2026, 10
REFORM = (2025, 7)  # kontanthjælp and uddannelseshjælp one benefit (Y60A02) from July 2025
HEADER = [
    "Area",
    "Periode",
    "Køn",
    "Antal personer",
    "Antal fuldtidspersoner",
    "Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år",
    "Fuldtidspersoner i pct. af befolkningen 16-66 år",
]
# Norddjurs' labour force and population aged 16-66 (made up, near the real size), and other areas as multiples.
LABOUR_FORCE, POPULATION = 17_400, 23_600
AREAS = {  # area: (size against Norddjurs, level against Norddjurs)
    "Norddjurs": (1.0, 1.0),
    "Syddjurs": (1.18, 0.86),
    "Lolland": (1.1, 1.22),
    "Guldborgsund": (1.66, 1.08),
    "Vesthimmerlands": (1.0, 0.95),
    "Thisted": (1.15, 0.82),
    "Frederikshavn": (1.6, 1.02),
}
NATIONAL = ("Hele landet", 170.0, 0.78)
# table: (Norddjurs' full-time persons in January 2022, yearly trend, seasonal swing, first month, last month)
TABLES = {
    "Y01A02": (560, -0.02, 0.14, None, None),
    "Y07A02": (520, 0.03, 0.05, None, None),
    "Y36A02": (610, -0.03, 0.0, None, (2025, 6)),
    "Y38A02": (210, -0.05, 0.02, None, (2025, 6)),
    "Y60A02": (800, -0.02, 0.01, REFORM, None),
    "Y12A02": (230, 0.02, 0.0, None, None),
    "Y11A02": (260, 0.01, 0.0, None, None),
    "Y09A02": (120, -0.04, 0.03, None, None),
    "Y08A02": (900, 0.02, 0.0, None, None),
    "Y10A02": (2120, -0.01, 0.0, None, None),
}
ALL_BENEFITS = "PTVA02"  # all benefits together: made from the others
VISITATION = {"Y36A02", "Y38A02", "Y60A02"}  # tables with the dimension Visitationskategori


def months():
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month in range(1, 13):
            if (year, month) <= (LAST_YEAR, LAST_MONTH):
                yield year, month


def level(table: str, year: int, month: int, rng: random.Random) -> float:
    start, trend, swing, _first, _last = TABLES[table]
    years = year - FIRST_YEAR + (month - 1) / 12
    seasonal = 1 + swing * math.cos((month - 1.5) / 12 * 2 * math.pi)  # highest in January-February
    return start * (1 + trend) ** years * seasonal * rng.uniform(0.98, 1.02)


def row(area: str, period: str, sex: str, full_time: float, size: float) -> list[str]:
    persons = round(full_time * 1.17)
    labour_force, population = LABOUR_FORCE * size, POPULATION * size
    share = lambda n, d: f"{100 * n / d:.1f}".replace(".", ",")  # noqa: E731
    return [
        area,
        period,
        sex,
        str(persons),
        str(round(full_time)),
        share(full_time, labour_force),
        share(full_time, population),
    ]


def rows_for(table: str, values: dict) -> list[list[str]]:
    """Every area's rows; Norddjurs' and the country's also by sex (the import keeps "Køn i alt"); the tables
    with a visitation category also by category (goal 6.11 reads "Aktivitetsparat")."""
    out = []
    for (year, month), base in values.items():
        period = f"{year}M{month:02d}"
        for area, (size, lvl) in [*AREAS.items(), (NATIONAL[0], (NATIONAL[1], NATIONAL[2]))]:
            full_time = base * size * lvl
            sexes = [("Køn i alt", 1.0)]
            if area in ("Norddjurs", NATIONAL[0]):
                sexes += [("Kvinder", 0.48), ("Mænd", 0.52)]
            categories = [("Visitationskategori i alt", 1.0)]
            if table in VISITATION:
                categories += [("Aktivitetsparat", 0.64 if area == "Norddjurs" else 0.6), ("Jobparat", 0.36)]
            for sex, sex_part in sexes:
                for category, part in categories:
                    if sex_part == 1.0 or part == 1.0:
                        values_row = row(area, period, sex, full_time * sex_part * part, size)
                        out.append(values_row + ([category] if table in VISITATION else []))
    return out


def main() -> None:
    rng = random.Random(25)
    totals: dict = {}
    for table, (_start, _trend, _swing, first, last) in TABLES.items():
        values = {
            (y, m): level(table, y, m, rng)
            for y, m in months()
            if (first is None or (y, m) >= first) and (last is None or (y, m) <= last)
        }
        for key, value in values.items():
            totals[key] = totals.get(key, 0) + value
        write(table, rows_for(table, values), visitation=table in VISITATION)
    write(ALL_BENEFITS, rows_for(ALL_BENEFITS, {key: value * 0.8 for key, value in totals.items()}), groups=True)


def write(table: str, rows: list[list[str]], groups: bool = False, visitation: bool = False) -> None:
    header = (
        HEADER[:2]
        + (["Ydelsesgrupper"] if groups else [])
        + HEADER[2:]
        + (["Visitationskategori"] if visitation else [])
    )
    if groups:
        rows = [[*r[:2], "Ydelsesgrupper i alt", *r[2:]] for r in rows]
    path = HERE / f"{table.lower()}_fuldtidspersoner_SYNTETISK.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
