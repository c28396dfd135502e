from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from plans.evaluation import Status
from plans.services.dashboard import summary_totals
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
def section_title(section):
    """A dashboard section's heading: its minister goal, or the result and focus goals that have none."""
    return str(section.minister_goal) if section.minister_goal else gettext("Resultatmål og fokusmål")


@register.filter
def totals(sections):
    """The status summary's last row: each status's count over all sections, then their sum."""
    return summary_totals(sections)
