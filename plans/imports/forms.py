from pathlib import Path

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.core.models import Indicator, Plan
from plans.imports.models import ALLOWED_SUFFIXES, ExtractMapping
from plans.services import plan_choice
from portal.forms import BoundedTextMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern from Django's documentation)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(BoundedTextMixin, forms.Form):
    files = MultipleFileField(
        label=_("Filer"),
        help_text=_(
            "Udtræk fra jobindsats.dk (CSV eller TSV, XLSX eller JSON fra Jobindsats API) eller en udfyldt skabelon med lokale tal. "
            "Flere filer kan vælges på én gang."
        ),
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(ALLOWED_SUFFIXES))}),
    )
    table = forms.CharField(
        label=_("Jobindsats-tabel"),
        required=False,
        max_length=20,
        help_text=_(
            "Fx Y08A02. Kan udelades, når tabellen står i filnavnet (y08a02_udtraek.csv) eller filen er en skabelon."
        ),
    )

    def clean_table(self):
        table = self.cleaned_data["table"].strip().upper()
        if table and not table.isalnum():
            raise forms.ValidationError(_("Et tabelnavn består af bogstaver og tal, fx Y08A02."))
        return table

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.IMPORT_MAX_BYTES
        for upload in files:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in ALLOWED_SUFFIXES:
                raise forms.ValidationError(
                    _(
                        "'%(name)s' er ikke en CSV-, TSV-, XLSX- eller JSON-fil. Hent udtrækket fra jobindsats.dk i et af de formater."
                    ),
                    params={"name": upload.name},
                )
            if upload.size == 0:
                raise forms.ValidationError(_("'%(name)s' er tom."), params={"name": upload.name})
            if upload.size > limit:
                raise forms.ValidationError(
                    _("'%(name)s' fylder %(size)s MB; grænsen er %(limit)s MB."),
                    params={"name": upload.name, "size": upload.size // (1024 * 1024), "limit": limit // (1024 * 1024)},
                )
        return files


def _filter_text(filters: dict) -> str:
    return "\n".join(f"{k} = {v}" for k, v in (filters or {}).items())


def _parse_filters(text: str) -> dict:
    filters = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        column, sep, value = line.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise forms.ValidationError(_("Linje %(n)s skal have formen 'Kolonne = værdi'."), params={"n": number})
        filters[column.strip()] = value.strip()
    return filters


FILTER_HELP = _("Én pr. linje: Kolonne = værdi, fx Ydelsesgrupper = Ydelsesgrupper i alt.")


class MappingForm(BoundedTextMixin, forms.ModelForm):
    """A mapping; the model's clean() checks that the comparison fits the indicator's rule."""

    filters = forms.CharField(
        label=_("Filtre"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=FILTER_HELP
    )
    denominator_filters = forms.CharField(
        label=_("Nævnerens filtre"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=FILTER_HELP
    )

    class Meta:
        model = ExtractMapping
        fields = [
            "indicator",
            "table",
            "measure",
            "filters",
            "denominator_table",
            "denominator_measure",
            "denominator_filters",
            "denominator_adds_numerator",
            "comparison_measure",
            "comparison_area",
            "confidence",
            "source_text",
            "note",
            "active",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": _("Kun for administratorer: hvor ruten er fundet, og hvor sikker den er.")}

    def __init__(self, *args, columns: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._offer_indicators(timezone.localdate())
        for name in ("filters", "denominator_filters"):
            self.initial[name] = _filter_text(getattr(self.instance, name))
        if columns:  # picked from an uploaded file: the measure fields offer its columns
            for name in ("measure", "denominator_measure", "comparison_measure"):
                self.fields[name].widget.attrs["list"] = "file-columns"

    def _offer_indicators(self, today):
        """The working plans' indicators (plan_choice.working_plans), and the mapping's own, grouped by plan and
        named with the plan's year: after a copy each measure is in two plans."""
        plans = plan_choice.working_plans(list(Plan.objects.all()), today)
        wanted = Q(goal__plan__in=plans)
        if self.instance.indicator_id:
            wanted |= Q(pk=self.instance.indicator_id)
        indicators = Indicator.objects.filter(wanted).select_related("goal__plan")
        indicators = indicators.order_by("-goal__plan__year", "goal__major", "goal__minor", "position")
        field = self.fields["indicator"]
        field.queryset = indicators
        groups = {}
        for indicator in indicators:
            plan = indicator.goal.plan
            groups.setdefault(plan.title, []).append(
                (indicator.pk, f"{plan.year} · {indicator.goal.code} {indicator.name}")
            )
        field.choices = [("", field.empty_label), *groups.items()]

    def clean_filters(self):
        return _parse_filters(self.cleaned_data["filters"])

    def clean_denominator_filters(self):
        return _parse_filters(self.cleaned_data["denominator_filters"])

    def clean_table(self):
        return self.cleaned_data["table"].strip().upper()

    def clean_denominator_table(self):
        return self.cleaned_data["denominator_table"].strip().upper()
