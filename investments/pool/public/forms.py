import re
import time
import unicodedata
from pathlib import Path

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from investments.pool.models import Application
from portal import registry
from portal.forms import BoundedTextMixin, LocalDecimalField
from portal.uploads import pdf_problem

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
# A person needs more than this to fill the form in; a script posting at once does not.
MIN_FILL_SECONDS = 3
# A form opened longer ago than this is sent again, so a token taken once cannot be replayed for ever.
MAX_FILL_SECONDS = 24 * 60 * 60
_STARTED_SALT = "investments.pool.public.started"
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{7,19}$")


def started_token(at: float | None = None) -> str:
    """The signed time the form was shown, for the minimum and maximum fill time."""
    return signing.dumps(at if at is not None else time.time(), salt=_STARTED_SALT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Several files in one field (the pattern from Django's documentation); none is fine."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        return [super(MultiplePdfField, self).clean(f, initial) for f in files]


def _clean_name(name: str) -> str:
    """The file's own name as shown to administrators: no path, no control characters, at most 200 characters."""
    name = "".join(c for c in Path(name.replace("\\", "/")).name if unicodedata.category(c)[0] != "C").strip()
    stem, suffix = Path(name).stem, Path(name).suffix[:10]
    return (stem[: 200 - len(suffix)] + suffix) or "bilag.pdf"


def _attachments_help() -> str:
    # Filled in when shown, not when the module loads: a lazy text's % would fix it in the language of the import.
    return gettext("Højst %(count)s PDF-filer på hver højst %(size)s MB, i alt højst %(total)s MB.") % {
        "count": MAX_FILES,
        "size": MAX_FILE_BYTES // 2**20,
        "total": MAX_TOTAL_BYTES // 2**20,
    }


class ApplicationForm(BoundedTextMixin, forms.Form):
    """The public application form. Every value is checked here; nothing the sender wrote is trusted."""

    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Type ansøger"), choices=Application.Kind.choices, widget=forms.RadioSelect)
    cvr = forms.CharField(
        label=_("CVR-nummer"),
        required=False,
        max_length=20,
        help_text=_("8 cifre. Udelad det, hvis organisationen ikke har et."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contact_name = forms.CharField(
        label=_("Kontaktperson"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Kvitteringen og udvalgets afgørelse sendes hertil."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Telefon"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    title = forms.CharField(label=_("Projektets titel"), max_length=200)
    description = forms.CharField(
        label=_("Projektbeskrivelse"),
        max_length=10_000,
        help_text=_("Hvad vil I gøre, for hvem, og hvad skal det føre til? Højst 10.000 tegn."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    goals = forms.MultipleChoiceField(
        label=_("Mål i beskæftigelsesplanen, som projektet understøtter"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount_applied = LocalDecimalField(
        label=_("Ansøgt beløb (kr.)"), max_digits=12, decimal_places=2, min_value=1, help_text=_("Fx 45.000.")
    )
    period_start = forms.DateField(label=_("Projektet begynder"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Projektet slutter"), widget=forms.DateInput(attrs={"type": "date"}))
    budget = forms.CharField(
        label=_("Budget"),
        max_length=5_000,
        help_text=_("Udgifterne post for post og eventuel anden finansiering. Højst 5.000 tegn."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultiplePdfField(
        label=_("Bilag (PDF)"),
        required=False,
        help_text=lazy(_attachments_help, str)(),
        widget=MultipleFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    # The honeypot: hidden from people and screen readers in the template; a script fills it in.
    website = forms.CharField(label=_("Lad dette felt være tomt"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, pool_round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool_round = pool_round
        plan_goals = registry.plan_goals(timezone.localdate())  # the plans app's goals (portal.registry)
        self.goal_year = plan_goals.year
        self.fields["goals"].choices = plan_goals.choices
        if not self.is_bound:
            self.initial["started"] = started_token()

    def clean_cvr(self):
        cvr = re.sub(r"[\s-]", "", self.cleaned_data["cvr"]).upper().removeprefix("DK")
        if cvr and not re.fullmatch(r"[0-9]{8}", cvr):
            raise forms.ValidationError(_("Et CVR-nummer er 8 cifre, fx 29189919."))
        return cvr

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if not _PHONE.fullmatch(phone):
            raise forms.ValidationError(_("Skriv et telefonnummer med mindst 8 cifre, fx 89 59 10 00."))
        return re.sub(r"\s+", " ", phone)

    def clean_amount_applied(self):
        amount = self.cleaned_data["amount_applied"]
        pool = self.pool_round.pool_year.amount if self.pool_round else None
        if pool is not None and amount > pool:
            raise forms.ValidationError(
                _("Puljen er på %(pool)s kr. i alt; der kan ikke søges om mere."),
                params={"pool": number_format(pool, 0, force_grouping=True)},
            )
        return amount

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Vedhæft højst %(count)s filer."), params={"count": MAX_FILES})
        if sum(f.size for f in files) > MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _("Bilagene fylder mere end %(total)s MB i alt."), params={"total": MAX_TOTAL_BYTES // 2**20}
            )
        for upload in files:
            upload.name = _clean_name(upload.name)
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("'%(name)s' fylder mere end %(size)s MB."),
                    params={"name": upload.name, "size": MAX_FILE_BYTES // 2**20},
                )
            if Path(upload.name).suffix.lower() != ".pdf":
                raise forms.ValidationError(_("'%(name)s' er ikke en PDF-fil."), params={"name": upload.name})
            if problem := pdf_problem(upload):
                raise forms.ValidationError(problem)
        return files

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Projektet skal slutte efter, det begynder."))
        if cleaned.get("website"):
            raise forms.ValidationError(_("Ansøgningen kunne ikke modtages."), code="honeypot")
        try:
            elapsed = time.time() - float(signing.loads(cleaned.get("started", ""), salt=_STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("Ansøgningen kunne ikke modtages."), code="started") from None
        if elapsed > MAX_FILL_SECONDS:
            raise forms.ValidationError(
                _("Formularen har været åben i over et døgn. Tjek felterne, vælg bilagene igen, og send den igen."),
                code="expired",
            )
        # With field errors nothing is stored anyway; a person who presses Send on the empty form at once
        # should read what is missing, not be told to wait.
        if elapsed < MIN_FILL_SECONDS and not self.errors:
            raise forms.ValidationError(
                _("Formularen blev sendt meget hurtigt. Vent et øjeblik, vælg bilagene igen, og send den igen."),
                code="too_fast",
            )
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            self.data = self.data.copy()
            self.data["started"] = started_token()  # shown again: the fill time starts over
            self._mark_errors()

    def _mark_errors(self):
        """Each field with an error names it in aria-describedby, beside its help text, and is aria-invalid."""
        for name in self.errors:
            if name not in self.fields or name in ("started", "website"):
                continue
            field, bound = self.fields[name], self[name]
            described = [f"{bound.auto_id}_error"] + ([f"{bound.auto_id}_helptext"] if field.help_text else [])
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})

    def application_data(self) -> dict:
        """The Application's fields from the cleaned values."""
        data = {name: self.cleaned_data[name] for name in Application.APPLICANT_FIELDS}
        data["goal_codes"] = ",".join(self.cleaned_data["goals"])
        data["goal_year"] = self.goal_year if data["goal_codes"] else None
        return data
