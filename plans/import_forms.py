from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plans.models import ALLOWED_SUFFIXES, ExtractMapping, Indicator


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern from Django's documentation)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Filer fra jobindsats.dk"),
        help_text=_("CSV, XLSX eller JSON (Jobindsats API). Flere filer kan vælges på én gang."),
        widget=MultipleFileInput(attrs={"accept": ".csv,.txt,.xlsx,.json"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.IMPORT_MAX_BYTES
        for upload in files:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in ALLOWED_SUFFIXES:
                raise forms.ValidationError(
                    _("'%(name)s' er ikke en CSV-, XLSX- eller JSON-fil. Hent udtrækket fra jobindsats.dk i et af de formater."),
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


class MappingForm(forms.ModelForm):
    filters = forms.CharField(
        label=_("Filtre"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Én pr. linje: Kolonne = værdi, fx Ydelsesgrupper = Ydelsesgrupper i alt."),
    )  # fmt: skip

    class Meta:
        model = ExtractMapping
        fields = ["indicator", "table", "measure", "comparison_measure", "comparison_area", "filters", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.select_related("goal").order_by("goal__major", "goal__minor", "position")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.goal.code} {i.name}"
        self.initial["filters"] = "\n".join(f"{k} = {v}" for k, v in (self.instance.filters or {}).items())

    def clean_filters(self):
        filters = {}
        for number, line in enumerate(self.cleaned_data["filters"].splitlines(), start=1):
            if not line.strip():
                continue
            column, sep, value = line.partition("=")
            if not sep or not column.strip() or not value.strip():
                raise forms.ValidationError(_("Linje %(n)s skal have formen 'Kolonne = værdi'."), params={"n": number})
            filters[column.strip()] = value.strip()
        return filters
