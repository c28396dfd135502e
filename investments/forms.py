from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BoundedTextMixin, LocalDecimalField

SIGN_HELP = _("Som i Bilag 4: en besparelse skrives med minus (fx -2,703); et positivt tal er en merudgift.")


class FigureForm(BoundedTextMixin, forms.Form):
    """A proposal's printed figures for one year, in mio. kr. An empty field is "-" in the document."""

    year = forms.IntegerField(label=_("År"))
    investment = LocalDecimalField(
        label=_("Investering i indsats (mio. kr.)"),
        max_digits=9,
        decimal_places=3,
        required=False,
        help_text=_("Tomt svarer til '-' i dokumentet."),
    )
    savings = LocalDecimalField(
        label=_("Besparelse på forsørgelse (mio. kr.)"),
        max_digits=9,
        decimal_places=3,
        required=False,
        help_text=SIGN_HELP,
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year not in self.strategy.years:
            raise forms.ValidationError(
                _("Strategien dækker %(first)s-%(last)s; %(year)s ligger uden for."),
                params={"first": self.strategy.first_year, "last": self.strategy.last_year, "year": year},
            )
        return year


class RealisationForm(BoundedTextMixin, forms.Form):
    month = forms.DateField(
        label=_("Måned"),
        input_formats=["%Y-%m", "%m-%Y", "%m.%Y", "%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Fx 2021-03. En ny indtastning for samme måned erstatter den gamle; historikken gemmes."),
    )
    amount = LocalDecimalField(
        label=_("Realiseret besparelse (mio. kr.)"), max_digits=9, decimal_places=3, help_text=SIGN_HELP
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month.year not in self.strategy.years:
            raise forms.ValidationError(
                _("Strategien dækker %(first)s-%(last)s; %(year)s ligger uden for."),
                params={"first": self.strategy.first_year, "last": self.strategy.last_year, "year": month.year},
            )
        return month
