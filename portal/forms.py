"""Form fields shared by the apps."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the way the active language writes it: Danish 3.079,5 or English 3,079.5.

    Thousands separators are accepted only in their proper places, so "3.079,5,1" or "3,07.9"
    are refused instead of being guessed at.
    """

    default_error_messages = {
        "invalid": _("'%(value)s' er ikke et tal. Skriv fx 3,079 eller -1.362,5 (komma før decimalerne)."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace("\u2212", "-").replace(" ", "")
        decimal_sep, group_sep = (",", ".") if (get_language() or "da").startswith("da") else (".", ",")
        pattern = rf"^[+-]?(\d{{1,3}}(\{group_sep}\d{{3}})+|\d+)(\{decimal_sep}\d+)?$"
        if not re.match(pattern, text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        try:
            return Decimal(text.replace(group_sep, "").replace(decimal_sep, "."))
        except InvalidOperation:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal) and (get_language() or "da").startswith("da"):
            return str(value).replace(".", ",")
        return value


def error_text(form) -> str:
    """All of a form's error messages as one line, for a flash message."""
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


class BoundedTextMixin:
    """Every text field of the form gets a maximum length: the models' TextFields have none.

    A text area holds at most `text_max_length` characters (20,000: several pages; a remark 5,000),
    a one-line field without its own limit `line_max_length` (1,000). Applied when the form is made
    and again before validation, so that fields a form adds in its own __init__ are bounded too.
    """

    text_max_length = 20_000
    line_max_length = 1_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bound_text_fields()

    def full_clean(self):
        self._bound_text_fields()
        super().full_clean()

    def _bound_text_fields(self):
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or field.max_length is not None:
                continue
            limit = self.text_max_length if isinstance(field.widget, forms.Textarea) else self.line_max_length
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(limit))


def save_unique(form, save, message: str):
    """`save()` in a savepoint; None, with `message` on the form, when a unique constraint refuses it.

    The form's own check for a duplicate ran before a simultaneous identical request created the row;
    the database's unique constraint then refuses this one, which is the form's error, not a 500.
    """
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        form.add_error(None, message)
        return None
