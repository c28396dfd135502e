from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from portal.periods import PeriodError, parse_period

register = template.Library()


@register.filter
def tal(value, decimals=None):
    """A number in the active language's format with thousands grouping: da 1.629,0 / en 1,629.0.

    Rounded half away from zero (Django's number_format would cut -0,8145 to -0,814).
    Empty values are shown as "-", the way the source documents print them.
    """
    if value is None or value == "":
        return "-"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is not None:
        decimals = int(decimals)
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(number, decimal_pos=decimals, force_grouping=True)


@register.filter
def short_period(code):
    """A period code as chart axes write it: 2025Q2 -> K2 2025. Anything else is shown as it is."""
    try:
        return parse_period(code).short_label
    except PeriodError:
        return code
