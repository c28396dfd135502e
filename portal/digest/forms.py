from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.digest.models import DigestSettings
from portal.forms import BoundedTextMixin


class SinceForm(BoundedTextMixin, forms.Form):
    """The date "Nyt siden sidst" reads from; empty goes back to the default (portal.digest.service.DEFAULT_DAYS)."""

    since = forms.DateField(
        label=_("Vis nyt siden"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "since-help"}, format="%Y-%m-%d"),
        help_text=_("Tom: de sidste 30 dage."),
    )

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since and since > timezone.localdate():
            raise forms.ValidationError(_("Datoen må ikke ligge i fremtiden."))
        return since


class SubscriptionForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = DigestSettings
        fields = ["frequency"]
        labels = {"frequency": _("Send mig nyt siden sidst på e-mail")}
        widgets = {"frequency": forms.RadioSelect}
