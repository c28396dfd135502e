import uuid

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.fairs.models import Association, CitizenSignup, Fair
from portal.forms import BoundedTextMixin


class SignupForm(BoundedTextMixin, forms.ModelForm):
    fairs = forms.ModelMultipleChoiceField(
        label=_("Messe(r)"),
        queryset=Fair.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sæt kryds ved hver messe, borgeren skal tilmeldes."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = CitizenSignup
        fields = CitizenSignup.ENTERED_FIELDS
        help_texts = {
            "name": _("Kun navn; ingen CPR-nummer."),
            "consent_to_contact": _("Telefon og e-mail gemmes kun med samtykke; datoen registreres."),
        }

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fairs"].queryset = Fair.objects.filter(series=series, date__gte=timezone.localdate()).order_by(
            "date"
        )
        self.fields["fairs"].label_from_instance = lambda f: f"{f.venue}, {date_format(f.date)}"
        self.fields["benefit_group"].widget = forms.RadioSelect(choices=CitizenSignup.BenefitGroup.choices)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex


class CheckInForm(BoundedTextMixin, forms.Form):
    signup = forms.IntegerField()
    attended = forms.ChoiceField(choices=[("ja", _("Mødt")), ("nej", _("Ikke mødt"))])


class AssociationForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Association
        fields = [
            "name",
            "contact_person",
            "contact",
            "offers_activity",
            "offers_volunteering",
            "offers_community",
            "status",
            "fairs",
        ]
        widgets = {"fairs": forms.CheckboxSelectMultiple}

    def __init__(self, *args, series, may_pass_deadline: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.series, self.may_pass_deadline = series, may_pass_deadline
        self.fields["fairs"].queryset = series.fairs.all()
        self.fields["fairs"].label_from_instance = lambda f: f"{f.venue}, {date_format(f.date)}"

    def clean(self):
        data = super().clean()
        newly_registered = data.get("status") == Association.Status.REGISTERED and (
            self.instance.pk is None or self.instance.status != Association.Status.REGISTERED
        )
        if newly_registered and timezone.localdate() > self.series.registration_deadline and not self.may_pass_deadline:
            raise forms.ValidationError(
                _("Tilmeldingsfristen %(deadline)s er overskredet. En administrator skal registrere tilmeldingen."),
                params={"deadline": date_format(self.series.registration_deadline)},
            )
        if data.get("status") == Association.Status.REGISTERED and not data.get("fairs"):
            self.add_error("fairs", _("Vælg den eller de messer, kulturaktøren deltager i."))
        return data

    def save(self, commit=True):
        """The first registration is dated: the deadline rule and the overview read it."""
        association = super().save(commit=False)
        if association.status == Association.Status.REGISTERED and association.registered_at is None:
            association.registered_at = timezone.now()
        if commit:
            association.save()
            self.save_m2m()
        return association


class FairForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Fair
        fields = ["venue", "date", "capacity"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        # The view sets the series, so Django leaves unique_fair (series, venue, date) unchecked.
        data = super().clean()
        venue, day = data.get("venue"), data.get("date")
        taken = Fair.objects.filter(series_id=self.instance.series_id, venue=venue, date=day).exclude(
            pk=self.instance.pk
        )
        if venue and day and taken.exists():
            raise forms.ValidationError(
                _("Der er allerede en messe på %(venue)s den %(date)s."),
                params={"venue": venue, "date": date_format(day)},
            )
        return data


class CapacityForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Fair
        fields = ["capacity"]
