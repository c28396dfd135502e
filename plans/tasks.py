"""Celery tasks: thin wrappers around the services. Each is safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from plans.services import imports, status

# Only transient failures are retried; a bad file is a result (the import's state), not an error.
TRANSIENT = (OperationalError, InterfaceError, RedisConnectionError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=120, max_retries=8, acks_late=True)
def run_import(import_id: int) -> str:
    return imports.process(import_id).state


@shared_task(autoretry_for=TRANSIENT, retry_backoff=2, max_retries=5)
def refresh_statuses(indicator_ids: list[int] | None = None) -> int:
    """Re-evaluate the given indicators, or all of them; marks too-old data as missing."""
    return status.refresh(indicator_ids)


@shared_task
def requeue_waiting_imports() -> int:
    return imports.requeue_waiting()
