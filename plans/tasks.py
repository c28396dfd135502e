"""Celery tasks of the goal dashboards: thin wrappers around the services. Each is safe to run twice.

The import's tasks are in plans.imports.tasks.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from plans.services import status


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def refresh_statuses(indicator_ids: list[int] | None = None) -> int:
    """Re-evaluate the given indicators, or all of them; marks too-old data as missing."""
    return status.refresh(indicator_ids)
