"""Celery tasks of the collection round: thin wrappers around its services. Safe to run twice (an owner is
mailed at most once a day, plans.collection.services.notices)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from plans.collection.services import notices


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def send_collection_reminders() -> int:
    """Remind data owners of missing local figures before and after their due date."""
    return notices.remind(timezone.localdate())
