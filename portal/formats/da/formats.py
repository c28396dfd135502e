"""Danish date formats as the portal writes them (Django's, with the time as 14.05, the Danish way).

Templates name the format ("DATE_FORMAT", "DATETIME_FORMAT") instead of writing a pattern, so an
English page gets portal/formats/en's. What is not set here comes from Django's Danish formats.
"""

DATE_FORMAT = "j. F Y"  # 26. november 2026
DATETIME_FORMAT = "j. F Y H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
