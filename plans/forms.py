from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from plans.models import ComparisonGroup, Goal, GoalComment, Indicator, Observation
from portal.forms import BoundedTextMixin, LocalDecimalField
from portal.periods import half_year_of, parse_period


def half_year_choices(first_year: int, today: date) -> list[tuple[str, str]]:
    """Half-years from the plan's first one up to the current one, newest first."""
    choices, half = [], half_year_of(today)
    while half.start.year >= first_year:
        choices.append((half.code, half.label))
        half = parse_period(f"{half.start.year - 1}H2" if half.code.endswith("H1") else f"{half.start.year}H1")
    return choices


class PlainSelect(forms.Select):
    """A select of plain choices (no groups), its options written in Python: Django's template per option costs
    some 40 µs, and the report offers every half-year with figures, ten times as many on ten times the history."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(code)}"{" selected" if str(code) in chosen else ""}>{escape(label)}</option>'
            for code, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), mark_safe(options)
        )


class ReportForm(BoundedTextMixin, forms.Form):
    halvaar = forms.ChoiceField(label=_("Halvår"), widget=PlainSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["halvaar"].choices = choices


class CommentForm(BoundedTextMixin, forms.ModelForm):
    period_code = forms.ChoiceField(label=_("Opfølgningsperiode"))
    text_max_length = 5_000  # a remark on a goal's period: a few paragraphs

    class Meta:
        model = GoalComment
        fields = ["period_code", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_code"].choices = choices


class ObservationForm(BoundedTextMixin, forms.Form):
    """A value typed or corrected by hand; an existing period is overwritten, a new one added."""

    period_code = forms.CharField(
        label=_("Periode"),
        max_length=20,
        help_text=_("Fx 2024H2 (halvår), 2024Q3 (kvartal), 2024M09 (måned) eller 2024."),
    )
    value = LocalDecimalField(label=_("Værdi"), max_digits=14, decimal_places=3)
    comparison = LocalDecimalField(label=_("Sammenligningstal"), max_digits=14, decimal_places=3, required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.instance = None
        if indicator.comparison_label:
            self.fields["comparison"].label = indicator.comparison_label
        else:
            del self.fields["comparison"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        observation = Observation(
            indicator=self.indicator,
            area=settings.PORTAL_AREA,
            period_code=data["period_code"].strip().upper(),
            value=data["value"],
            comparison=data.get("comparison"),
        )
        try:
            observation.clean_fields(exclude=["indicator", "entered_by"])  # normalises the code: 2024K1 -> 2024Q1
            observation.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return data
        existing = Observation.objects.filter(
            indicator=self.indicator, area=settings.PORTAL_AREA, period_code=observation.period_code
        ).first()
        if existing:  # a correction: the period's row gets the new values
            existing.value, existing.comparison = observation.value, observation.comparison
            observation = existing
        self.instance = observation
        return data


class IndicatorRuleForm(BoundedTextMixin, forms.ModelForm):
    threshold = LocalDecimalField(label=_("Grænseværdi"), max_digits=12, decimal_places=3, required=False)
    tolerance = LocalDecimalField(label=_("Tolerance"), max_digits=6, decimal_places=2, required=False)
    baseline_value = LocalDecimalField(label=_("Basisværdi"), max_digits=12, decimal_places=3, required=False)
    risk_margin = LocalDecimalField(label=_("Risikomargin"), max_digits=12, decimal_places=3)

    class Meta:
        model = Indicator
        fields = Indicator.RULE_FIELDS
        widgets = {"rule_note": forms.Textarea(attrs={"rows": 3})}


class GoalOwnerForm(BoundedTextMixin, forms.ModelForm):
    """The unit or person responsible for a goal; the field offers the owners already in use."""

    class Meta:
        model = Goal
        fields = ["owner"]
        labels = {"owner": _("Ansvarlig enhed eller person")}
        widgets = {"owner": forms.TextInput(attrs={"list": "ansvarlige", "autocomplete": "off"})}

    def clean_owner(self):
        return " ".join(self.cleaned_data["owner"].split())


class ComparisonGroupForm(BoundedTextMixin, forms.ModelForm):
    areas = forms.MultipleChoiceField(
        label=_("Kommuner"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kommuner, der ligner os, fx i størrelse, befolkning eller arbejdsmarked."),
    )

    class Meta:
        model = ComparisonGroup
        fields = ["name", "description", "areas"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        from plans.services.benchmark import municipality_choices

        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = municipality_choices()

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
