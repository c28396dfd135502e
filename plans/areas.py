"""Area names as jobindsats.dk writes them: the 98 municipalities without "Kommune"."""

import pandas as pd

NATIONAL = "Hele landet"
UNKNOWN = "Uoplyst område"  # rows jobindsats.dk cannot place; skipped on import

MUNICIPALITIES = frozenset({
    # Hovedstaden
    "Albertslund", "Allerød", "Ballerup", "Bornholm", "Brøndby", "Dragør", "Egedal", "Fredensborg",
    "Frederiksberg", "Frederikssund", "Furesø", "Gentofte", "Gladsaxe", "Glostrup", "Gribskov", "Halsnæs",
    "Helsingør", "Herlev", "Hillerød", "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ishøj", "København",
    "Lyngby-Taarbæk", "Rudersdal", "Rødovre", "Tårnby", "Vallensbæk",
    # Sjælland
    "Faxe", "Greve", "Guldborgsund", "Holbæk", "Kalundborg", "Køge", "Lejre", "Lolland", "Næstved",
    "Odsherred", "Ringsted", "Roskilde", "Slagelse", "Solrød", "Sorø", "Stevns", "Vordingborg",
    # Syddanmark
    "Assens", "Billund", "Esbjerg", "Fanø", "Fredericia", "Faaborg-Midtfyn", "Haderslev", "Kerteminde",
    "Kolding", "Langeland", "Middelfart", "Nordfyns", "Nyborg", "Odense", "Svendborg", "Sønderborg",
    "Tønder", "Varde", "Vejen", "Vejle", "Ærø", "Aabenraa",
    # Midtjylland
    "Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig", "Norddjurs",
    "Odder", "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg", "Skanderborg", "Skive", "Struer",
    "Syddjurs", "Viborg", "Aarhus",
    # Nordjylland
    "Brønderslev", "Frederikshavn", "Hjørring", "Jammerbugt", "Læsø", "Mariagerfjord", "Morsø", "Rebild",
    "Thisted", "Vesthimmerland", "Aalborg",
})  # fmt: skip
KNOWN_AREAS = MUNICIPALITIES | {NATIONAL}


def normalise(areas: pd.Series) -> pd.Series:
    """'Norddjurs Kommune' and 'Jobcenter Norddjurs' (JO01 uses jobcentres) both become 'Norddjurs'."""
    text = areas.astype(str).str.strip()
    return text.str.replace(r"\s+Kommune$", "", regex=True).str.replace(r"^Jobcenter\s+", "", regex=True)
