"""The administrators' forms for the pool. The public application form is investments.pool.public.forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from investments.pool.models import Application, Assessment, Decision, PoolRound, PoolYear, Recommendation
from portal import registry
from portal.forms import BoundedTextMixin, LocalDecimalField
from portal.uploads import pdf_problem

MAX_FILES, MAX_FILE_BYTES = 5, 10 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PdfFilesField(forms.FileField):
    """Up to MAX_FILES PDF files of at most MAX_FILE_BYTES each, read from their content (portal.uploads)."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,application/pdf"})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Højst %(count)s filer ad gangen."), params={"count": MAX_FILES})
        for upload in files:
            super().clean(upload, initial)
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("'%(name)s' er større end %(size)s MB."),
                    params={"name": upload.name, "size": MAX_FILE_BYTES // 2**20},
                )
            if problem := pdf_problem(upload):
                raise forms.ValidationError(problem)
        return files


class PoolYearForm(BoundedTextMixin, forms.ModelForm):
    amount = LocalDecimalField(label=_("Puljens beløb (kr.)"), max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = PoolYear
        fields = ["amount"]


class RoundForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = PoolRound
        fields = ["deadline", "meeting_date"]
        widgets = {"deadline": DATE_INPUT, "meeting_date": DATE_INPUT}


class ApplicationForm(BoundedTextMixin, forms.ModelForm):
    """An application received by other means (letter, e-mail), registered by an administrator."""

    amount_applied = LocalDecimalField(label=_("Ansøgt beløb (kr.)"), max_digits=12, decimal_places=2, min_value=1)
    goals = forms.MultipleChoiceField(
        label=_("Mål i beskæftigelsesplanen, som projektet understøtter"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = PdfFilesField(label=_("Bilag (PDF)"), required=False)

    class Meta:
        model = Application
        fields = ["round", *Application.APPLICANT_FIELDS, "received_at"]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan_goals = registry.plan_goals(timezone.localdate())
        self.goal_year = plan_goals.year
        self.fields["goals"].choices = plan_goals.choices
        self.fields["round"].queryset = PoolRound.objects.select_related("pool_year")
        self.fields["received_at"].initial = timezone.now

    def save(self, commit=True):
        application = super().save(commit=False)
        application.goal_codes = ",".join(self.cleaned_data["goals"])
        application.goal_year = self.goal_year if self.cleaned_data["goals"] else None
        application.source = Application.Source.ADMINISTRATOR
        if commit:
            application.save()
        return application


class AssessmentForm(BoundedTextMixin, forms.ModelForm):
    proposed_amount = LocalDecimalField(
        label=_("Indstillet beløb (kr.)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

    class Meta:
        model = Assessment
        fields = ["text", "recommendation", "proposed_amount"]
        widgets = {"recommendation": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model field has no default, so Django offers a blank choice; as a radio button it reads "---------".
        self.fields["recommendation"].choices = Recommendation.choices


class DecisionForm(BoundedTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Udvalgets afgørelse"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    granted_amount = LocalDecimalField(
        label=_("Bevilget beløb (kr.)"), max_digits=12, decimal_places=2, min_value=1, required=False
    )
    meeting_date = forms.DateField(label=_("Mødedato"), widget=DATE_INPUT)
    message = forms.CharField(
        label=_("Besked til ansøgeren"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tom: portalens standardtekst for afgørelsen. Sendes på dansk til kontaktpersonens e-mail."),
    )
    notify = forms.BooleanField(label=_("Send e-mailen til ansøgeren nu"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Decision.Outcome.GRANTED and not data.get("granted_amount"):
            self.add_error("granted_amount", _("Angiv det bevilgede beløb."))
        return data


class FollowUpForm(BoundedTextMixin, forms.Form):
    due_date = forms.DateField(label=_("Frist for afrapportering"), widget=DATE_INPUT)
    report = forms.CharField(
        label=_("Afrapportering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Hvad projektet har opnået. Tom: kun fristen gemmes."),
    )
    attachments = PdfFilesField(label=_("Bilag til afrapporteringen (PDF)"), required=False)
