from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def tal(value, decimals=None):
    """A number in the active language's format with thousands grouping: da 1.629,0 / en 1,629.0.

    Empty values are shown as "-", the way the source documents print them.
    """
    if value is None or value == "":
        return "-"
    if decimals is not None:
        decimals = int(decimals)
    return number_format(Decimal(value) if isinstance(value, str) else value, decimal_pos=decimals, force_grouping=True)
