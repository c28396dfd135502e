"""Writes synthetic extracts of the jobindsats.dk tables that feed the plan's goals into routes/.

    python tests/data/make_route_samples.py

One file per table, in the layouts of ../shared/formats (API v2 JSON and CSV, API v3 JSON and
CSV), mixed across tables. Every number is invented (fixed seeds, so the output is the same on
every run). Column labels and dimension values are the ones found in public production code and
metadata where they were found, otherwise inferred; routes/README.md says which is which.

Periods are chosen for "today" = 2026-11-25: months 2024M01-2026M06, QMAT periods up to
2026QMAT02, so each goal has a figure less than 9 months old and the same period a year before.
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "routes"
MUNICIPALITIES = [
    line.strip()
    for line in (HERE / "jobindsats_municipalities.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
COUNTRY = "Hele landet"
AREAS = [COUNTRY, "Norddjurs", "Syddjurs", "Randers"]
# Residents aged 16-66 (the real Y30R21 file puts Norddjurs at about 22,900: 2,010 persons = 8.79 pct.).
POPULATION = {COUNTRY: 3_780_000, "Norddjurs": 22_900, "Syddjurs": 27_400, "Randers": 62_100}
MONTHS = [f"{y}M{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)][:30]  # 2024M01..2026M06
AFTER_REFORM = "2025M07"  # kontanthjælpsreformen: uddannelseshjælp merged into kontanthjælp from 1 July 2025

# --- writers -----------------------------------------------------------------------------


def comma(value, decimals=1):
    if value is None:
        return None
    text = f"{value:.{decimals}f}"
    return (text.lstrip("-") if float(text) == 0 else text).replace(".", ",")  # never "-0,00"


def v2_cell(value, decimals):
    """API v2 JSON: counts as integers, everything with decimals as a string with decimal comma."""
    return value if value is None or isinstance(value, (int, str)) else comma(value, decimals)


def csv_cell(value, decimals):
    if value is None:
        return ""
    return str(value) if isinstance(value, (int, str)) else comma(value, decimals)


def v3_cell(value, decimals):
    return round(value, decimals) if isinstance(value, float) else value


def write_v2_json(name, header, rows, decimals=1):
    variables = json.dumps([{"Label": h} for h in header], ensure_ascii=False)
    data = ",\n".join(json.dumps([v2_cell(c, decimals) for c in row], ensure_ascii=False) for row in rows)
    (OUT / name).write_text(f'[{{"Variables":{variables},"Data":[\n{data}\n]}}]\n', encoding="utf-8")


def write_v2_csv(name, header, rows, decimals=1):
    lines = [";".join(header)] + [";".join(csv_cell(c, decimals) for c in row) for row in rows]
    (OUT / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def write_v3_json(name, columns, rows, decimals=1):
    body = ",\n".join(json.dumps([v3_cell(c, decimals) for c in row], ensure_ascii=False) for row in rows)
    (OUT / name).write_text(
        f'{{"columns":{json.dumps(columns, ensure_ascii=False)},"rows":[\n{body}\n]}}\n', encoding="utf-8"
    )


def write_v3_csv(name, columns, rows, decimals=1):
    """API v3 CSV: UTF-8 with BOM, semicolons, decimal comma."""
    lines = [";".join(columns)] + [";".join(csv_cell(c, decimals) for c in row) for row in rows]
    (OUT / name).write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


# --- helpers -------------------------------------------------------------------------------


def wave(rng, index, level, trend, season=0.0, noise=0.01):
    """A monthly value: level, a linear trend per month, a yearly wave and a little noise."""
    seasonal = season * [0.6, 0.5, 0.3, 0.0, -0.3, -0.5, -0.6, -0.4, -0.1, 0.1, 0.3, 0.5][index % 12]
    return level * (1 + trend * index + seasonal + rng.uniform(-noise, noise))


def pct(part, whole):
    return 100.0 * part / whole if whole else None


# --- A02 tables: fleksjob (Y08A02) and ledighedsydelse (Y09A02), for goal 5.1 ---------------

A02_MEASURES = [
    "Antal personer",
    "Antal fuldtidspersoner",
    "Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år",
    "Fuldtidspersoner i pct. af befolkningen 16-66 år",
]


def a02_rows(seed, levels, trends, women_share, fulltime_ratio):
    rng = random.Random(seed)
    rows = []
    for i, period in enumerate(MONTHS):
        for area in AREAS:
            persons = round(wave(rng, i, levels[area], trends[area], season=0.01, noise=0.006))
            women = round(persons * (women_share + rng.uniform(-0.01, 0.01)))
            for sex, count in (("Køn i alt", persons), ("Kvinder", women), ("Mænd", persons - women)):
                fulltime = round(count * (fulltime_ratio + rng.uniform(-0.01, 0.01)))
                workforce = POPULATION[area] * 0.79
                rows.append(
                    [area, period, sex, count, fulltime, pct(fulltime, workforce), pct(fulltime, POPULATION[area])]
                )
    return rows


def flex_and_idle_pay():
    header = ["Area", "Periode", "Køn", *A02_MEASURES]
    flex = a02_rows(
        808,
        {COUNTRY: 77_800, "Norddjurs": 762, "Syddjurs": 845, "Randers": 1_905},
        {COUNTRY: 0.0012, "Norddjurs": 0.0015, "Syddjurs": 0.0010, "Randers": 0.0011},
        0.57,
        0.93,
    )
    # Ledighedsydelse: national ledighedsprocent about 16.5; Norddjurs a little above, Randers well above.
    idle = a02_rows(
        909,
        {COUNTRY: 15_400, "Norddjurs": 163, "Syddjurs": 146, "Randers": 452},
        {COUNTRY: 0.0004, "Norddjurs": -0.0012, "Syddjurs": 0.0006, "Randers": 0.0000},
        0.55,
        0.88,
    )
    write_v2_json("y08a02_api_v2_synthetic.json", header, flex)
    write_v2_csv("y09a02_api_v2_synthetic.csv", header, idle)


# --- Y38A02: uddannelseshjælp by visitationskategori, for goal 6.11 ------------------------

VISITATION = [
    "Visitationskategori i alt",
    "Alle uddannelsesparate",
    "Uddannelsesparat",
    "Åbenlys uddannelsesparat",
    "Aktivitetsparat",
    "Uoplyst visitationskategori",
]


def education_aid():
    rng = random.Random(3802)
    columns = ["Periode", "Område", "Køn", "Visitationskategori", *A02_MEASURES]
    level = {COUNTRY: 29_800, "Norddjurs": 312, "Syddjurs": 258, "Randers": 705}
    active = {COUNTRY: 51.8, "Norddjurs": 55.6, "Syddjurs": 49.7, "Randers": 57.9}  # share aktivitetsparate, pct.
    rows = []
    for i, period in enumerate(MONTHS):
        for area in AREAS:
            total = round(wave(rng, i, level[area], -0.002, season=0.04, noise=0.01))
            unknown = round(total * rng.uniform(0.005, 0.015))
            activity = round(total * (active[area] + rng.uniform(-0.8, 0.8)) / 100)
            ready = total - unknown - activity
            obvious = round(ready * rng.uniform(0.28, 0.34))
            counts = [total, ready, ready - obvious, obvious, activity, unknown]
            women = round(total * rng.uniform(0.43, 0.47))
            parts = [("Køn i alt", v, c) for v, c in zip(VISITATION, counts)]
            parts += [("Kvinder", VISITATION[0], women), ("Mænd", VISITATION[0], total - women)]
            for sex, category, count in parts:
                fulltime = round(count * rng.uniform(0.86, 0.9))
                rows.append(
                    [
                        period,
                        area,
                        sex,
                        category,
                        count,
                        fulltime,
                        pct(fulltime, POPULATION[area] * 0.79),
                        pct(fulltime, POPULATION[area]),
                    ]
                )
    write_v3_json("y38a02_api_v3_synthetic.json", columns, rows, decimals=2)


# --- OTIJ01: recipients with ordinary hours, for goal 6.10 ---------------------------------


def ordinary_hours():
    rng = random.Random(1001)
    header = [
        "Area",
        "Periode",
        "Ydelsesgrupper",
        "Målgruppe",
        "Antal personer i alt",
        "Antal personer med ordinære timer",
        "Andel personer med ordinære timer",
        "Gennemsnitligt timetal pr person med ordinære timer",
        "Gennemsnitligt antal ordinære timer pr. måned",
    ]
    level = {COUNTRY: 148_000, "Norddjurs": 1_310, "Syddjurs": 1_120, "Randers": 3_240}
    share = {COUNTRY: 9.6, "Norddjurs": 8.4, "Syddjurs": 9.9, "Randers": 8.9}  # pct. with ordinary hours, 2024M01
    rise = {COUNTRY: 0.030, "Norddjurs": 0.045, "Syddjurs": 0.020, "Randers": 0.035}  # pct. points per month
    rows = []
    for i, period in enumerate(MONTHS):
        for area in AREAS:
            total = round(wave(rng, i, level[area], -0.001, season=0.03, noise=0.006))
            base = share[area] + rise[area] * i + 0.4 * rng.uniform(-1, 1)
            groups = [
                ("Ydelsesgrupper i alt", "Målgrupper i alt", total, base),
                ("Ydelsesgrupper i alt", "Jobparate mv.", round(total * 0.34), base * 2.1),
                ("Ydelsesgrupper i alt", "Aktivitetsparate mv.", round(total * 0.58), base * 0.45),
                (
                    "Kontanthjælp",
                    "Målgrupper i alt",
                    round(total * (0.52 if period < AFTER_REFORM else 0.78)),
                    base * 1.05,
                ),
            ]
            if period < AFTER_REFORM:
                groups.append(("Uddannelseshjælp", "Målgrupper i alt", round(total * 0.24), base * 0.8))
            for benefit, target, persons, share_pct in groups:
                with_hours = round(persons * share_pct / 100)
                hours = 44.0 + rng.uniform(-4, 4)
                rows.append(
                    [
                        area,
                        period,
                        benefit,
                        target,
                        persons,
                        with_hours,
                        pct(with_hours, persons),
                        hours,
                        hours * rng.uniform(0.9, 0.97),
                    ]
                )
    write_v2_json("otij01_api_v2_synthetic.json", header, rows)


# --- Y14D03: company-oriented offers and later employment (part of goal 1.3, not routed) ----


def company_offers():
    rng = random.Random(1403)
    header = [
        "Area",
        "Periode",
        "Ydelsesgrupper",
        "Virksomhedsrettede tilbud",
        "Målgruppe",
        "Antal afsluttede forløb",
        "Efterfølgende beskæftigelse: I samme virksomhed",
        "Efterfølgende beskæftigelse: I anden virksomhed i samme branche",
        "Efterfølgende beskæftigelse: I anden virksomhed i anden branche",
        "Efterfølgende beskæftigelse: Ingen beskæftigelse",
        "Gennemsnitlig beskæftigelsesgrad",
    ]
    level = {COUNTRY: 61_000, "Norddjurs": 540, "Syddjurs": 470, "Randers": 1_380}
    combos = [
        ("Ydelsesgrupper i alt", "Virksomhedsrettede tilbud i alt", "Målgrupper i alt", 1.0),
        ("A-dagpenge", "Virksomhedsrettede tilbud i alt", "Målgrupper i alt", 0.31),
        ("Kontanthjælp", "Virksomhedsrettede tilbud i alt", "Målgrupper i alt", 0.38),
        ("Sygedagpenge", "Virksomhedsrettede tilbud i alt", "Målgrupper i alt", 0.17),
        ("Ydelsesgrupper i alt", "Privat virksomhedspraktik", "Målgrupper i alt", 0.46),
        ("Ydelsesgrupper i alt", "Offentlig virksomhedspraktik", "Målgrupper i alt", 0.21),
        ("Ydelsesgrupper i alt", "Virksomhedsrettede tilbud i alt", "Jobparate mv.", 0.44),
        ("Ydelsesgrupper i alt", "Virksomhedsrettede tilbud i alt", "Aktivitetsparate mv.", 0.37),
    ]
    rows = []
    for i, period in enumerate(["2024QMAT02", "2024QMAT04", "2025QMAT02", "2025QMAT04", "2026QMAT02"]):
        for area in AREAS:
            for benefit, offer, target, part in combos:
                ended = round(level[area] * part * (1 + 0.01 * i + rng.uniform(-0.03, 0.03)))
                same, branch, other = rng.uniform(12, 20), rng.uniform(8, 13), rng.uniform(14, 22)
                none_ = 100.0 - round(same, 1) - round(branch, 1) - round(other, 1)
                rows.append(
                    [area, period, benefit, offer, target, ended, same, branch, other, none_, rng.uniform(28, 42)]
                )
    write_v2_csv("y14d03_api_v2_synthetic.csv", header, rows)


# --- JO01: job orders, for goal 6.1 ---------------------------------------------------------


def job_orders():
    rng = random.Random(101)
    columns = [
        "Periode",
        "Område",
        "Erhvervsområder",
        "Antal oprettede jobordrer",
        "Antal stillinger blandt oprettede jobordrer",
        "Formidlingsgrad",
        "Ansættelsesgrad",
    ]
    level = {COUNTRY: 9_400, "Norddjurs": 61, "Syddjurs": 58, "Randers": 162}
    hire = {COUNTRY: 24.8, "Norddjurs": 23.9, "Syddjurs": 27.1, "Randers": 22.0}
    fields = [("Erhvervsområder i alt", 1.0), ("Bygge og anlæg", 0.14), ("Sundhed, omsorg og personlig pleje", 0.17)]
    rows = []
    for i, period in enumerate(MONTHS):
        for area in AREAS:
            orders = wave(rng, i, level[area], 0.001, season=0.12, noise=0.08)
            for field, part in fields:
                count = max(0, round(orders * part * rng.uniform(0.9, 1.1)))
                positions = round(count * rng.uniform(1.3, 1.7))
                placed = rng.uniform(64, 76)
                hired = hire[area] + rng.uniform(-2.5, 2.5)
                # Measured later than the orders: the last months have no rate yet (empty field).
                rows.append(
                    [
                        period,
                        area,
                        field,
                        count,
                        positions,
                        None if period >= "2026M06" else placed,
                        None if period >= "2026M05" else hired,
                    ]
                )
    write_v3_csv("jo01_api_v3_synthetic.csv", columns, rows)


# --- Y21MM13: the minister's measurement MM13 (refugees in employment), for goal 4.1 --------


def refugees_in_work():
    rng = random.Random(2113)
    measures = [
        "Antal 18-66 årige flygtninge og familiesammenførte til flygtninge",
        "Antal 18-66 årige beskæftigede flygtninge og familiesammenførte til flygtninge i måneden",
        "Andel 18-66 årige beskæftigede flygtninge og familiesammenførte til flygtninge i måneden, pct. (ministermål)",
    ]
    columns = ["Periode", "Område", "Køn", *measures]
    level = {COUNTRY: 96_500, "Norddjurs": 512, "Syddjurs": 371, "Randers": 1_480}
    share = {COUNTRY: 50.2, "Norddjurs": 48.9, "Syddjurs": 52.6, "Randers": 46.3}
    rows = []
    for i, period in enumerate(MONTHS):
        for area in AREAS:
            people = round(wave(rng, i, level[area], 0.0008, noise=0.004))
            women = round(people * rng.uniform(0.47, 0.49))
            rate = share[area] + 0.05 * i + 1.2 * [0.0, -0.2, 0.1, 0.4, 0.7, 0.9, 0.6, 0.4, 0.5, 0.3, 0.0, -0.4][i % 12]
            employed_women = round(women * (rate - 12.5 + rng.uniform(-1, 1)) / 100)
            employed_men = round((people - women) * (rate + 11.5 + rng.uniform(-1, 1)) / 100)
            for sex, n, e in (
                ("Køn i alt", people, employed_women + employed_men),
                ("Kvinder", women, employed_women),
                ("Mænd", people - women, employed_men),
            ):
                rows.append([period, area, sex, n, e, pct(e, n)])
    write_v3_json("y21mm13_api_v3_synthetic.json", columns, rows, decimals=1)


# --- Y21MM17: the minister's measurement MM17 (upskilling started), for goal 3.1 -----------
# The table id and the column labels are inferred from jobindsats.dk's description of MM17; no real
# extract of it has been seen (docs/data-sources.md).


def upskilling_started():
    rng = random.Random(2117)
    measures = [
        "Antal ydelsesmodtagere, som har påbegyndt et opkvalificeringsforløb",
        "Andel ydelsesmodtagere, som har påbegyndt et opkvalificeringsforløb, pct.",
    ]
    columns = ["Periode", "Område", "Ydelsesgrupper", *measures]
    level = {COUNTRY: 9_800, "Norddjurs": 46, "Syddjurs": 38, "Randers": 141}
    groups = {"A-dagpenge": 0.55, "Kontanthjælp": 0.3, "Uddannelseshjælp": 0.1, "Ledighedsydelse": 0.05}
    rows = []
    for i, period in enumerate(MONTHS):
        for area in AREAS:
            started = round(wave(rng, i, level[area], 0.002, season=0.15, noise=0.05))
            recipients = round(started * rng.uniform(38, 42))
            rows.append([period, area, "Ydelsesgrupper i alt", started, pct(started, recipients)])
            for group, part in groups.items():
                n = round(started * part)
                rows.append([period, area, group, n, pct(n, round(recipients * part))])
    write_v3_json("y21mm17_api_v3_synthetic.json", columns, rows, decimals=1)


# --- Y30R21 for all 98 municipalities, for goal 1.1 ----------------------------------------

Y30_PERIODS = ["2023QMAT04", "2024QMAT02", "2024QMAT04", "2025QMAT02", "2025QMAT04", "2026QMAT02"]
GROUPS = ["A-dagpenge mv.", "Sygedagpenge mv.", "Kontanthjælp mv."]
TOTAL = "Ydelsesgrupper i alt"
COUNT = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "
SHARE = "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: "
Y30_HEADER = [
    "Ydelsesgrupper",
    *(COUNT + m for m in ("Forventet antal", "Faktisk antal", "Forskel mellem forventet og faktisk antal")),
    *(
        SHARE + m
        for m in (
            "Forventet andel (pct.)",
            "Faktisk andel (pct.)",
            "Forskel mellem forventet og faktisk andel (pct. point)",
        )
    ),
    "Placering på benchmarkranglisten",
]
NORDDJURS_RANK = 29  # Norddjurs' place for "Ydelsesgrupper i alt" in the newest period


def tens(x):
    return max(0, int(round(x / 10.0)) * 10)


def benchmark_national():
    """{(area, period, group): (expected, actual)} for 98 municipalities, counts rounded to tens."""
    rng = random.Random(3021)
    known = {
        "København": 468_000,
        "Aarhus": 246_000,
        "Aalborg": 149_000,
        "Odense": 141_000,
        "Læsø": 1_020,
        "Fanø": 1_980,
        "Samsø": 2_250,
        "Ærø": 3_370,
    }
    population = {m: known.get(m, POPULATION.get(m, rng.randint(9_000, 62_000))) for m in MUNICIPALITIES}
    # Expected shares of the population (pct.) per benefit group, per municipality, slowly drifting.
    level = {m: (rng.uniform(1.1, 2.3), rng.uniform(2.6, 4.4), rng.uniform(2.0, 5.6)) for m in MUNICIPALITIES}
    level["Norddjurs"] = (1.62, 3.86, 3.47)
    result = {}
    for p, period in enumerate(Y30_PERIODS):
        newest = period == Y30_PERIODS[-1]
        for m in MUNICIPALITIES:
            expected = [tens(population[m] * s * (1 + 0.004 * p) / 100) for s in level[m]]
            actual = [tens(e * (1 + rng.gauss(0, 0.035))) for e in expected]
            result[m, period] = (expected, actual)
        if newest:  # exactly NORDDJURS_RANK - 1 municipalities strictly better than Norddjurs on the total
            result["Norddjurs", period] = ([380, 890, 800], [370, 860, 810])  # 2,070 vs 2,040: 9.04 vs 8.91 pct.
            mark = share_gap(result["Norddjurs", period], population["Norddjurs"])
            others = [m for m in MUNICIPALITIES if m != "Norddjurs"]
            # Counts in tens move a small municipality's share in big steps, so the better ones are larger.
            better = set(rng.sample([m for m in others if population[m] >= 15_000], NORDDJURS_RANK - 1))
            for m in others:
                expected = result[m, period][0]
                for _ in range(500):
                    actual = [tens(e * (1 + rng.gauss(0, 0.035))) for e in expected]
                    gap = share_gap((expected, actual), population[m])
                    if (gap < mark) if m in better else (gap > mark):
                        break
                else:
                    raise RuntimeError(f"no draw puts {m} on the right side of Norddjurs")
                result[m, period] = (expected, actual)
    return result, population


def share_gap(pair, population):
    expected, actual = pair
    return round(round(100 * sum(actual) / population, 2) - round(100 * sum(expected) / population, 2), 2)


def benchmark_rows():
    data, population = benchmark_national()
    rows = []
    for period in Y30_PERIODS:
        block = {}
        for m in MUNICIPALITIES:
            expected, actual = data[m, period]
            for group, e, a in [(TOTAL, sum(expected), sum(actual)), *zip(GROUPS, expected, actual)]:
                se, sa = round(100 * e / population[m], 2), round(100 * a / population[m], 2)
                block[m, group] = [m, period, group, e, a, a - e, se, sa, round(sa - se, 2)]
        for group in [TOTAL, *GROUPS]:
            order = sorted(MUNICIPALITIES, key=lambda m: (block[m, group][8], block[m, group][5], m))
            for rank, m in enumerate(order, start=1):
                block[m, group].append(rank)
        rows += [block[m, g] for m in MUNICIPALITIES for g in [TOTAL, *GROUPS]]
    newest = next(r for r in rows if r[:3] == ["Norddjurs", Y30_PERIODS[-1], TOTAL])
    assert newest[-1] == NORDDJURS_RANK, newest
    return rows


def benchmark():
    rows = benchmark_rows()
    assert len(rows) == 98 * 4 * 6 == 2_352
    header = ["Area", "Periode", *Y30_HEADER]
    write_v2_json("y30r21_national_api_v2_synthetic.json", header, rows, decimals=2)
    # The same data as the v3 CSV would give it: Periode and Område first, BOM, decimal comma.
    write_v3_csv(
        "y30r21_national_api_v3_synthetic.csv",
        ["Periode", "Område", *Y30_HEADER],
        [[r[1], r[0], *r[2:]] for r in rows],
        decimals=2,
    )
    # Small variant: three municipalities plus one row jobindsats.dk cannot place.
    small = [r for r in rows if r[0] in ("Norddjurs", "Syddjurs", "Randers")]
    small.append(["Uoplyst område", Y30_PERIODS[-1], TOTAL, 40, 30, -10, None, None, None, None])
    write_v2_json("y30r21_uoplyst_api_v2_synthetic.json", header, small, decimals=2)


def main():
    OUT.mkdir(exist_ok=True)
    benchmark()
    flex_and_idle_pay()
    education_aid()
    ordinary_hours()
    company_offers()
    job_orders()
    refugees_in_work()
    upskilling_started()
    for path in sorted(OUT.glob("*_synthetic.*")):
        print(f"{path.stat().st_size:>8,}  {path.relative_to(HERE)}")


if __name__ == "__main__":
    main()
