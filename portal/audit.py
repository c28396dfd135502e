"""The audit trail: every change to goals, observations, investments, events and sign-ups.

django-simple-history keeps a historical row per save (who, when, the values after). Imports
write observations in bulk; those changes are in DataImport and ObservationChange instead.
Changes to users are in portal.models.UserChange (the user model keeps no history of its own).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.models import UserChange
from portal.registry import registry

# "app.Model" labels, registered by each app in its AppConfig.ready (portal.registry): the same list, filled at start-up.
TRACKED = registry.audited_labels
KINDS = {"+": _("Oprettet"), "~": _("Ændret"), "-": _("Slettet")}
SYSTEM = _("System / grunddata")
USER_CHANGES = "portal.UserChange"
# Read from the historical row itself: a model's __str__ may follow foreign keys, one query per row.
DESCRIBING_FIELDS = ("title", "name", "venue", "measure", "period_code", "quarter", "year")


@dataclass
class Entry:
    model: str
    label: str
    history_id: int
    when: datetime
    who: str
    kind: str
    object: str


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else str(SYSTEM)


def _model(label: str):
    if label not in TRACKED:
        raise Http404
    return apps.get_model(label)


def recent(limit: int = 100) -> list[Entry]:
    """The newest changes across all tracked models: one query per model, whatever the history's size."""
    entries = []
    for label in TRACKED:
        model = apps.get_model(label)
        for record in model.history.select_related("history_user").order_by("-history_date")[:limit]:
            user = record.history_user
            entries.append(
                Entry(
                    label,
                    str(model._meta.verbose_name),
                    record.history_id,
                    record.history_date,
                    _who(user),
                    str(KINDS[record.history_type]),
                    _describe(label, record),
                )
            )
    for change in UserChange.objects.select_related("changed_by")[:limit]:
        entries.append(
            Entry(
                USER_CHANGES,
                str(UserChange._meta.verbose_name),
                change.pk,
                change.changed_at,
                _who(change.changed_by),
                change.get_action_display(),
                f"#{change.user_id or '-'} {change.username}",
            )
        )
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


def _describe(label: str, record) -> str:
    if label == "events.CitizenSignup":  # no names in the overview of changes
        return f"#{record.id}"
    text = next((str(getattr(record, f)) for f in DESCRIBING_FIELDS if getattr(record, f, "") not in ("", None)), "")
    return f"#{record.id} {text}".strip()


@dataclass
class UserChangeRecord:
    """A UserChange shown on the audit page's detail view as a historical record would be."""

    change: UserChange

    @property
    def history_date(self):
        return self.change.changed_at

    @property
    def history_user(self):
        return self.change.changed_by

    def get_history_type_display(self) -> str:
        return f"{self.change.get_action_display()} ({self.change.username})"


def detail(label: str, history_id: int) -> tuple:
    """One change: the record, and each field's value before and after."""
    if label == USER_CHANGES:
        change = UserChange.objects.select_related("changed_by").filter(pk=history_id).first()
        if change is None:
            raise Http404
        return UserChange, UserChangeRecord(change), [tuple(c) for c in change.changes]
    model = _model(label)
    record = model.history.select_related("history_user").filter(history_id=history_id).first()
    if record is None:
        raise Http404
    previous = record.prev_record
    if previous is None:
        changes = [(f.verbose_name, None, getattr(record, f.attname)) for f in model._meta.concrete_fields]
    else:
        delta = record.diff_against(previous)
        changes = [(model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in delta.changes]
    return model, record, changes
