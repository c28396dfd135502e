from django.db import transaction

from plans.models import Observation
from plans.services import status


@transaction.atomic
def save_by_hand(observation: Observation, user) -> None:
    """Store a value an administrator typed (validated by ObservationForm) and re-evaluate at once."""
    observation.entered_by = user
    observation.source_note = f"Indtastet af {user.get_full_name() or user.username}"
    observation.save()
    status.refresh([observation.indicator_id])
