"""The collection round's forms: start a round, set the data owners, and a data owner's figures."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.collection.services.figures import Entry
from plans.imports.template import YEARLY_LABELS
from plans.imports.validation import RANGES
from plans.models import Indicator, Observation
from portal.forms import BoundedTextMixin, LocalDecimalField
from portal.periods import parse_period


class StartRoundForm(BoundedTextMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Periode"))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, p.label) for p in periods]

    def clean_period(self):
        return parse_period(self.cleaned_data["period"])


class OwnersForm(BoundedTextMixin, forms.Form):
    """A data owner per local indicator; the choices are the users who hold the Dataansvarlig group (or administrators)."""

    def __init__(self, *args, indicators, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.users = {u.pk: u for u in users}
        choices = [("", _("Ingen dataansvarlig"))] + [(u.pk, u.get_full_name() or u.username) for u in users]
        for indicator in self.indicators:
            ownership = getattr(indicator, "data_owner", None)
            self.fields[f"owner_{indicator.pk}"] = forms.TypedChoiceField(
                label=f"{indicator.goal.code} {indicator.name}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=ownership.user_id if ownership else "",
            )

    def rows(self):
        return [(indicator, self[f"owner_{indicator.pk}"]) for indicator in self.indicators]

    def owners(self) -> dict:
        return {i.pk: self.users.get(self.cleaned_data[f"owner_{i.pk}"]) for i in self.indicators}


def _shown(value: Decimal | None) -> Decimal | None:
    """A stored figure as the owner typed it: 13 and 12,5, not 13,000 and 12,500 (three places are stored)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def allowed_range(indicator: Indicator) -> tuple:
    """(lowest, highest or None): the import's own range for the indicator's unit (plans.imports.validation.RANGES)."""
    low, high, _message = RANGES["share" if indicator.unit == Indicator.Unit.PERCENT else "count"]
    return low, high


def range_text(indicator: Indicator) -> str:
    low, high = allowed_range(indicator)
    return (
        _("%(low)s til %(high)s %%") % {"low": low, "high": high}
        if high is not None
        else _("%(low)s eller derover") % {"low": low}
    )


class FiguresForm(BoundedTextMixin, forms.Form):
    """A field per item of the round (value, a comparison where the indicator has one, comment, source).

    An empty value leaves the item as it is. A value is checked by the observation's own rules
    (Observation.clean: a share 0-100, a count not negative), which are the import's ranges. Items whose
    period has not ended by `today` get no fields, so a figure for a running period cannot be sent.
    """

    def __init__(self, *args, items, current, today, **kwargs):
        super().__init__(*args, **kwargs)
        # A figure is counted once its period has ended: an item of a period still running has no fields.
        self.items = [item for item in items if item.period.end < today]
        self.entries: list[Entry] = []
        for item in self.items:
            indicator = item.indicator
            low, high = allowed_range(indicator)
            attrs = {"inputmode": "decimal", "autocomplete": "off", "aria-describedby": f"hint_{item.pk}"}
            known = current.get(item.pk)
            self.fields[f"value_{item.pk}"] = LocalDecimalField(
                label=_("Værdi (%(unit)s)") % {"unit": indicator.get_unit_display()},
                max_digits=14,
                decimal_places=3,
                required=False,
                widget=forms.TextInput(attrs=attrs),
                initial=_shown(known.value) if known else None,
            )
            if indicator.comparison_label and indicator.comparison_label not in YEARLY_LABELS:
                self.fields[f"comparison_{item.pk}"] = LocalDecimalField(
                    label=indicator.comparison_label,
                    max_digits=14,
                    decimal_places=3,
                    required=False,
                    initial=_shown(known.comparison) if known else None,
                )
            self.fields[f"source_{item.pk}"] = forms.CharField(
                label=_("Kilde"),
                max_length=300,
                required=False,
                initial=item.source,
                help_text=_("Fx fagsystemet eller opgørelsen, tallet kommer fra."),
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Kommentar"), required=False, initial=item.comment, widget=forms.Textarea(attrs={"rows": 2})
            )

    def fields_of(self, item) -> list:
        """The item's bound fields in the page's order (value, comparison if any, source, comment)."""
        names = (f"{name}_{item.pk}" for name in ("value", "comparison", "source", "comment"))
        return [self[name] for name in names if name in self.fields]

    def clean(self):
        data = super().clean()
        for item in self.items:
            value = data.get(f"value_{item.pk}")
            if value is None:
                continue
            comparison = data.get(f"comparison_{item.pk}")
            observation = Observation(
                indicator=item.indicator,
                area=settings.PORTAL_AREA,
                period_code=item.period_code,
                value=value,
                comparison=comparison,
            )
            try:
                observation.clean_fields(exclude=["indicator", "entered_by", "data_import"])
                observation.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    field = f"{name}_{item.pk}"
                    self.add_error(field if field in self.fields else f"value_{item.pk}", messages)
                continue
            self.entries.append(
                Entry(
                    item,
                    value,
                    comparison,
                    data.get(f"comment_{item.pk}", "").strip(),
                    data.get(f"source_{item.pk}", "").strip(),
                )
            )
        if not self.errors and not self.entries:
            raise ValidationError(_("Skriv mindst ét tal."))
        return data


class TemplateUploadForm(BoundedTextMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Udfyldt skabelon (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload skabelonen som XLSX-fil, som den blev hentet."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(_("Filen er for stor."))
        return upload
