from django import template
from django.utils.html import format_html

from plans.evaluation import Status
from plans.periods import PeriodError, parse_period
from portal.templatetags.portal_format import tal

register = template.Library()


@register.simple_tag
def measure(value, indicator):
    """A value in the indicator's unit: 83,0 % or 2.320."""
    if value is None or value == "":  # "" is what a template gives for a missing latest value
        return "-"
    number = tal(value, indicator.decimals)
    return f"{number} %" if indicator.unit == "pct" else number


@register.simple_tag
def status_badge(status):
    status = Status(status)
    return format_html('<span class="status status--{}">{}</span>', status.name.lower().replace("_", "-"), status.label)


@register.filter
def short_period(code):
    """A period code as chart axes write it: 2025Q2 -> K2 2025. Anything else is shown as it is."""
    try:
        return parse_period(code).short_label
    except PeriodError:
        return code
