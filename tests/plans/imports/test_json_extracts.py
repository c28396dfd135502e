"""The API's JSON read into an extract (plans.imports.reading): v2, v3, NDJSON, and the shapes refused."""

import json

import pytest

from plans.imports import reading

HEADER = ["Område", "Periode", "Antal"]


def v2(*tables) -> bytes:
    return json.dumps([{"Variables": [{"Label": c} for c in HEADER], "Data": rows} for rows in tables]).encode()


def test_v2_tables_are_read_as_one_with_the_first_tables_columns():
    extract = reading.read_extract(v2([["Norddjurs", "2024Q1", 1]], [["Norddjurs", "2024Q2", 2]]))
    assert extract.format == "JSON (Jobindsats API v2)"
    assert list(extract.frame["Periode"]) == ["2024Q1", "2024Q2"]
    assert list(extract.frame[reading.ROW]) == [1, 2]


def test_v3_is_read_with_its_columns():
    extract = reading.read_extract(json.dumps({"columns": HEADER, "rows": [["Norddjurs", "2024Q1", 1]]}).encode())
    assert (extract.format, extract.area_column, extract.period_column) == (
        "JSON (Jobindsats API v3)",
        "Område",
        "Periode",
    )


def test_one_object_with_the_header_is_read_as_ndjson_of_one_row():
    extract = reading.read_extract(json.dumps(dict(zip(HEADER, ["Norddjurs", "2024Q1", 1]))).encode())
    assert extract.format.startswith("NDJSON") and len(extract.frame) == 1


def test_objects_one_a_line_are_read_as_ndjson():
    lines = [json.dumps(dict(zip(HEADER, ["Norddjurs", f"2024Q{q}", q]))) for q in (1, 2)]
    extract = reading.read_extract("\n".join(lines).encode())
    assert extract.format.startswith("NDJSON") and list(extract.frame["Antal"]) == [1, 2]


REFUSED = [
    (
        "a row shorter than the header",
        {"columns": HEADER, "rows": [["Norddjurs", "2024Q1"]]},
        "Række 1 i JSON-filen har ikke 3 felter som overskriften.",
    ),
    (
        "rows not a list",
        {"columns": HEADER, "rows": {}},
        "kolonnenavnene skal være en liste af tekster og rækkerne en liste",
    ),
    (
        "a column name that is no text",
        {"columns": [*HEADER, None], "rows": []},
        "kolonnenavnene skal være en liste af tekster",
    ),
    (
        "an error message",
        {"Forkert nøgle": ""},
        "Filen er en fejlmeddelelse fra Jobindsats, ikke data: 'Forkert nøgle'.",
    ),
    (
        "another shape",
        [1, 2],
        "JSON-filen har ikke Jobindsats' form ('Variables' og 'Data', eller 'columns' og 'rows').",
    ),
]


@pytest.mark.parametrize(("case", "data", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_json_of_another_shape_is_refused_in_danish(case, data, message):
    with pytest.raises(reading.ExtractError, match=message.replace("(", r"\(").replace(")", r"\)")):
        reading.read_extract(json.dumps(data).encode())


def test_json_with_more_columns_than_the_import_reads_is_refused(settings):
    settings.IMPORT_MAX_COLUMNS = 2
    with pytest.raises(reading.ExtractError, match="Filen har 3 kolonner; importen læser højst 2."):
        reading.read_extract(json.dumps({"columns": HEADER, "rows": []}).encode())


def test_broken_and_truncated_json_are_told_apart():
    with pytest.raises(reading.ExtractError, match="afkortet"):
        reading.read_extract(b'{"columns": ["Omraade", ')
    with pytest.raises(reading.ExtractError, match=r"kan ikke læses \(linje 2"):
        reading.read_extract(b'{"columns": [],\n "rows": ]}')
