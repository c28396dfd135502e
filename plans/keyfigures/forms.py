"""The administrators' form for a year's local key figures: the three counts, each with its source."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.keyfigures.services import LOCAL_KINDS
from portal.forms import BoundedTextMixin, LocalDecimalField

FIRST_YEAR = 2000


class CountField(LocalDecimalField):
    """A whole number of citizens, typed as the language writes it (Danish 6.945, English 6,945)."""

    default_error_messages = {
        "invalid": _("'%(value)s' er ikke et helt tal. Skriv fx 6945 eller 6.945."),
        "required": _("Skriv antallet."),
    }

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise forms.ValidationError(_("Skriv et helt tal uden decimaler."), code="decimals")
        if number < 0:
            raise forms.ValidationError(_("Antallet kan ikke være negativt."), code="negative")
        if number > 2_147_483_647:
            raise forms.ValidationError(_("Antallet er for stort."), code="too_large")
        return int(number)


class LocalYearForm(BoundedTextMixin, forms.Form):
    """A year and its three counts with their sources; each field a pair "<kind>" and "<kind>_source"."""

    year = forms.IntegerField(
        label=_("År"),
        error_messages={"required": _("Skriv året."), "invalid": _("Skriv året som et tal, fx 2021.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in LOCAL_KINDS:
            self.fields[kind.value] = CountField(label=kind.label)
            self.fields[f"{kind.value}_source"] = forms.CharField(
                label=_("Kilde: %(kind)s") % {"kind": kind.label},
                max_length=300,
                error_messages={
                    "required": _("Skriv, hvor tallet kommer fra."),
                    "max_length": _("Kilden må højst være %(limit_value)d tegn."),
                },
                help_text=_("Fx Statistikbanken (UDDAKT20) eller Fasit, med datoen tallet er trukket.")
                if kind == LOCAL_KINDS[0]
                else "",
            )

    def clean_year(self):
        year = self.cleaned_data["year"]
        latest = timezone.localdate().year
        if not FIRST_YEAR <= year <= latest:
            raise forms.ValidationError(
                _("Året skal være mellem %(first)d og %(last)d.") % {"first": FIRST_YEAR, "last": latest}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        for kind in LOCAL_KINDS:
            name = f"{kind.value}_source"
            if name in cleaned:
                cleaned[name] = " ".join(cleaned[name].split())
        return cleaned

    def values(self) -> dict[str, tuple[int, str]]:
        """{kind: (value, source)} of a valid form."""
        return {
            kind.value: (self.cleaned_data[kind.value], self.cleaned_data[f"{kind.value}_source"])
            for kind in LOCAL_KINDS
        }
