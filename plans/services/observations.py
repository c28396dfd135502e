from django.db import transaction
from django.utils import timezone

from plans.models import Observation, ObservationChange
from plans.services import status


@transaction.atomic
def save_by_hand(observation: Observation, user) -> None:
    """Store a value an administrator typed (validated by ObservationForm) and re-evaluate at once.

    A corrected value keeps its predecessor in ObservationChange, as an import's replacement does.
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
    observation.source_note = f"Indtastet af {user.get_full_name() or user.username}"
    observation.save()
    status.refresh([observation.indicator_id])
