from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from events.project.models import GroupSeat, MeetingDocument, ProgressReport
from portal.forms import BoundedTextMixin
from portal.periods import PeriodError, parse_period

DOCUMENT_SUFFIXES = {".pdf", ".docx", ".doc", ".xlsx", ".pptx", ".odt", ".txt"}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


class ProgressForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = [
            "quarter",
            "joint_conversations",
            "offers_upskilling",
            "offers_industry_change",
            "offers_network",
            "offers_other",
            "in_job_or_education",
        ]

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_quarter(self):
        try:
            period = parse_period(self.cleaned_data["quarter"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None
        if period.kind != "quarter":
            raise forms.ValidationError(_("Angiv et kvartal, fx 2025Q2."))
        # A quarter entered again corrects its figures. Looked up only now that the field's own
        # validators have run: a raw value with a NUL would make PostgreSQL refuse the query.
        if self.project is not None:
            self.instance = self.project.progress.filter(quarter=period.code).first() or self.instance
        return period.code


class DocumentForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = MeetingDocument
        fields = ["kind", "title", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in DOCUMENT_SUFFIXES:
            raise forms.ValidationError(_("Upload dokumenter som PDF, Word, Excel, PowerPoint eller tekst."))
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("Filen er større end 20 MB."))
        return upload


class SeatForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = GroupSeat
        fields = ["holder", "appointed_by", "appointed_on", "decision"]
        widgets = {
            "appointed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decision": forms.Textarea(attrs={"rows": 2}),
        }
