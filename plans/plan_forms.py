"""Forms for the administrators' plan pages (plans.plan_views) and the annual wheel."""

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from plans.models import Goal, Indicator, MinisterGoal, Plan
from plans.wheel.models import WheelEvent
from portal.forms import BoundedTextMixin, LocalDecimalField


class NewPlanForm(BoundedTextMixin, forms.Form):
    """Next year's plan, copied from an existing one."""

    source = forms.ModelChoiceField(queryset=Plan.objects.order_by("-year"), label=_("Kopiér fra"), empty_label=None)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Titel"), max_length=200, required=False, help_text=_("Tom: Beskæftigelsesplan og året.")
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Plan.objects.filter(year=year).exists():
            raise forms.ValidationError(_("Der findes allerede en plan for %(year)s.") % {"year": year})
        return year


class PlanImportForm(BoundedTextMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Titel"), max_length=200, required=False, help_text=_("Tom: Beskæftigelsesplan og året.")
    )
    file = forms.FileField(label=_("Udfyldt skabelon (XLSX)"))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Plan.objects.filter(year=year).exists():
            raise forms.ValidationError(_("Der findes allerede en plan for %(year)s.") % {"year": year})
        return year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Vælg en XLSX-fil (skabelonen gemt fra Excel)."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor."))
        return upload


class AdoptForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["adopted_on", "decision_reference", "note"]
        widgets = {
            "adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].required = True
        self.fields["decision_reference"].required = True


class GoalForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "major",
            "minor",
            "minister_goal",
            "kind",
            "title",
            "metric",
            "target_text",
            "follow_up_text",
            "source",
            "frequency",
            "owner",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("metric", "target_text", "follow_up_text")}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["minister_goal"].queryset = MinisterGoal.objects.filter(plan=plan)
        self.fields["minister_goal"].label = _("Ministermål")
        self.fields["minister_goal"].label_from_instance = lambda m: f"{m.number}. {m.title}"

    def validate_unique(self):
        super().validate_unique()
        goals = Goal.objects.filter(
            plan=self.instance.plan, major=self.cleaned_data.get("major"), minor=self.cleaned_data.get("minor")
        )
        if goals.exclude(pk=self.instance.pk).exists():
            self.add_error("minor", _("Planen har allerede et mål med det nummer."))


class IndicatorForm(BoundedTextMixin, forms.ModelForm):
    threshold = LocalDecimalField(label=_("Grænseværdi"), max_digits=12, decimal_places=3, required=False)
    tolerance = LocalDecimalField(label=_("Tolerance"), max_digits=6, decimal_places=2, required=False)
    baseline_value = LocalDecimalField(label=_("Basisværdi"), max_digits=12, decimal_places=3, required=False)
    risk_margin = LocalDecimalField(label=_("Risikomargin"), max_digits=12, decimal_places=3, required=False, initial=0)

    class Meta:
        model = Indicator
        fields = (*Indicator.DESCRIPTION_FIELDS, *Indicator.RULE_FIELDS, "local_instruction")
        widgets = {
            "rule_note": forms.Textarea(attrs={"rows": 2}),
            "local_instruction": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_risk_margin(self):
        return self.cleaned_data["risk_margin"] or 0


IndicatorFormSet = inlineformset_factory(
    Goal, Indicator, form=IndicatorForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class WheelEventForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = WheelEvent
        fields = ["title", "kind", "month", "day", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"] = forms.TypedChoiceField(
            label=_("Måned"), coerce=int, choices=[(number, str(name).capitalize()) for number, name in MONTHS.items()]
        )
