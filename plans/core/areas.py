"""Area names as jobindsats.dk writes them.

MUNICIPALITIES is the list of the 98 area names in a real API response of table Y30R21 with
area=* (see ../shared/formats/municipalities.txt, copied to tests/data/jobindsats_municipalities.txt);
the names follow Danmarks Statistik's municipality names without "Kommune" (note the genitive
"Vesthimmerlands" and "Nordfyns"). A test compares every name with that copy.
"""

import pandas as pd

NATIONAL = "Hele landet"
UNPLACED = "Uoplyst område"  # rows jobindsats.dk cannot place: kept out of the figures, named in the report

MUNICIPALITIES = frozenset(
    {
        "Aabenraa",
        "Aalborg",
        "Aarhus",
        "Albertslund",
        "Allerød",
        "Assens",
        "Ballerup",
        "Billund",
        "Bornholm",
        "Brøndby",
        "Brønderslev",
        "Dragør",
        "Egedal",
        "Esbjerg",
        "Faaborg-Midtfyn",
        "Fanø",
        "Favrskov",
        "Faxe",
        "Fredensborg",
        "Fredericia",
        "Frederiksberg",
        "Frederikshavn",
        "Frederikssund",
        "Furesø",
        "Gentofte",
        "Gladsaxe",
        "Glostrup",
        "Greve",
        "Gribskov",
        "Guldborgsund",
        "Haderslev",
        "Halsnæs",
        "Hedensted",
        "Helsingør",
        "Herlev",
        "Herning",
        "Hillerød",
        "Hjørring",
        "Holbæk",
        "Holstebro",
        "Horsens",
        "Hvidovre",
        "Høje-Taastrup",
        "Hørsholm",
        "Ikast-Brande",
        "Ishøj",
        "Jammerbugt",
        "Kalundborg",
        "Kerteminde",
        "Kolding",
        "København",
        "Køge",
        "Langeland",
        "Lejre",
        "Lemvig",
        "Lolland",
        "Lyngby-Taarbæk",
        "Læsø",
        "Mariagerfjord",
        "Middelfart",
        "Morsø",
        "Norddjurs",
        "Nordfyns",
        "Nyborg",
        "Næstved",
        "Odder",
        "Odense",
        "Odsherred",
        "Randers",
        "Rebild",
        "Ringkøbing-Skjern",
        "Ringsted",
        "Roskilde",
        "Rudersdal",
        "Rødovre",
        "Samsø",
        "Silkeborg",
        "Skanderborg",
        "Skive",
        "Slagelse",
        "Solrød",
        "Sorø",
        "Stevns",
        "Struer",
        "Svendborg",
        "Syddjurs",
        "Sønderborg",
        "Thisted",
        "Tårnby",
        "Tønder",
        "Vallensbæk",
        "Varde",
        "Vejen",
        "Vejle",
        "Vesthimmerlands",
        "Viborg",
        "Vordingborg",
        "Ærø",
    }
)

# The five regions (Danmarks Statistik's names) and the eight regional labour-market councils
# (RAR, bekendtgørelse om regionale arbejdsmarkedsråd), which some jobindsats tables use as areas.
REGIONS = frozenset(
    {"Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland", "Region Nordjylland"}
)
RAR_AREAS = frozenset(
    {
        "RAR Bornholm",
        "RAR Fyn",
        "RAR Hovedstaden",
        "RAR Nordjylland",
        "RAR Sjælland",
        "RAR Sydjylland",
        "RAR Vestjylland",
        "RAR Østjylland",
    }
)
KNOWN_AREAS = MUNICIPALITIES | REGIONS | RAR_AREAS | {NATIONAL}


def normalise(areas: pd.Series) -> pd.Series:
    """'Norddjurs Kommune' and 'Jobcenter Norddjurs' (JO01 uses jobcentres) both become 'Norddjurs'."""
    text = areas.astype(str).str.strip().str.replace(r"\s+", " ", regex=True)
    return text.str.replace(r" Kommune$", "", regex=True).str.replace(r"^Jobcenter ", "", regex=True)
