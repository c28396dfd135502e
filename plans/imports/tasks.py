"""Celery tasks of the import: thin wrappers around plans.imports.service. Each is safe to run twice."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from plans.imports import service
from plans.tasks import refresh_statuses

logger = logging.getLogger(__name__)

# Only transient failures are retried; a bad file is a result (the import's state), not an error.
TRANSIENT = (OperationalError, InterfaceError, RedisConnectionError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=120, max_retries=8, acks_late=True)
def run_import(import_id: int) -> str:
    record, touched = service.process(import_id)
    if touched:
        _send(refresh_statuses, touched)
    return record.state


@shared_task
def requeue_waiting_imports() -> int:
    ids = service.waiting()
    for pk in ids:
        queue(pk)
    return len(ids)


def queue(import_id: int) -> None:
    """Queue an import; call it after the record's transaction has committed."""
    _send(run_import, import_id)


def _send(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # the broker is down: the import stays queued (beat requeues it); the nightly refresh catches up
        logger.warning("Could not queue %s%s", task.name, args, exc_info=True)
