from django.db import transaction
from django.utils import timezone

from plans.models import Observation, ObservationChange
from plans.services import status


def store_typed(observation: Observation, user, source_note: str = "") -> None:
    """Store a typed value (validated by the caller's form) as `user`'s, without re-evaluating the status.

    A corrected value keeps its predecessor in ObservationChange, as an import's replacement does. Also
    used by the collection round (plans.collection.services.figures), which refreshes once for many figures.
    """
    if observation.pk:
        before = Observation.objects.select_for_update().get(pk=observation.pk)
        if (before.value, before.comparison) != (observation.value, observation.comparison):
            ObservationChange.objects.create(
                observation=before,
                value=before.value,
                comparison=before.comparison,
                set_by_import_id=before.data_import_id,
                replaced_by=user,
                replaced_at=timezone.now(),
            )
    observation.entered_by = user
    observation.data_import = None
    observation.source_note = (source_note or f"Indtastet af {user.get_full_name() or user.username}")[:300]
    observation.save()


@transaction.atomic
def save_by_hand(observation: Observation, user) -> None:
    """Store a value an administrator typed (validated by ObservationForm) and re-evaluate at once."""
    store_typed(observation, user)
    status.refresh([observation.indicator_id])
