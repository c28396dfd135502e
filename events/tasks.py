from celery import shared_task
from django.db import InterfaceError, OperationalError

from events.fairs.services import privacy


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def delete_expired_personal_data() -> int:
    return privacy.delete_expired_personal_data()
