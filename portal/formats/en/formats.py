"""English date formats (British, as the day comes before the month in Danish): 26 November 2026.

What is not set here comes from Django's English formats.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
