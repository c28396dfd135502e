"""Celery tasks of the import: thin wrappers around plans.imports.service. Each is safe to run twice."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from plans.imports import service
from plans.tasks import refresh_statuses

logger = logging.getLogger(__name__)

# Only transient failures are retried; a bad file is a result (the import's state), not an error.
TRANSIENT = (OperationalError, InterfaceError, RedisConnectionError)


# Every import ends: at the soft limit the import is marked fejlet (service.process), at the hard
# limit the worker process is killed; the message is then acknowledged, and the stalled-import
# requeue below tries it again, at most IMPORT_MAX_ATTEMPTS times in all.
@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=8,
    acks_late=True,
    soft_time_limit=settings.IMPORT_TIME_LIMIT_SECONDS,
    time_limit=settings.IMPORT_HARD_TIME_LIMIT_SECONDS,
)
def run_import(import_id: int) -> str:
    try:
        record, touched = service.process(import_id)
    except SoftTimeLimitExceeded:  # the limit fell outside the reading (claiming, or the final read)
        service.fail(import_id, [service.timed_out_message()])
        service.notify_uploader(import_id)
        return "fejlet"
    if touched:
        _send(refresh_statuses, touched)
    if record.is_finished:  # not when another run holds it: that run tells
        service.notify_uploader(import_id)
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
