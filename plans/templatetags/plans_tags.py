from django import template
from django.utils.html import format_html

from plans.evaluation import Status
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
