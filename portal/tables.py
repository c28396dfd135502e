"""The project's base table for django-tables2: shared template, caption, exports."""

import django_tables2 as tables

from portal.exports import export_response
from portal.templatetags.portal_format import tal

EXPORT_FORMATS = ("csv", "xlsx")


class NumberColumn(tables.Column):
    """A number shown in the active language's format, with its unit's suffix (" %") if any;
    exported as the number itself."""

    def __init__(self, *args, decimals=None, suffix="", **kwargs):
        self.decimals, self.suffix = decimals, suffix
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num", "scope": "col"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{tal(value, self.decimals)}{self.suffix}"

    def value(self, value):
        return value


class PortalTable(tables.Table):
    caption = ""

    class Meta:
        template_name = "portal/table.html"
        # stack-table: one block per row on a phone, each value after its column's name (table.html's data-label)
        attrs = {"class": "data-table stack-table", "th": {"scope": "col"}}

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption or self.caption

    def export(self, fmt: str, filename: str):
        values = list(self.as_values())
        return export_response(fmt, filename, values[0], values[1:], title=str(self.caption or filename))
