"""The Celery task that fetches new figures from the Jobindsats API (plans.imports.fetching).

Beat starts it daily (CELERY_BEAT_SCHEDULE "fetch-jobindsats", hour JOBINDSATS_FETCH_HOUR); without a
key it does nothing. "Hent nu" on the administrators' page queues it after the request commits.
"""

import logging

from celery import shared_task

from plans.imports import fetching

logger = logging.getLogger(__name__)


# A fetch waits for the API (each attempt's deadline and the retries are bounded by JOBINDSATS_*), so
# give it room, but not forever. A killed fetch's lock runs out within JOBINDSATS_LOCK_SECONDS (fetching.Lease).
@shared_task(soft_time_limit=90 * 60, time_limit=100 * 60)
def fetch_jobindsats(tables: list[str] | None = None, scheduled: bool = True) -> str:
    result = fetching.fetch(tables, scheduled=scheduled)
    if result.skipped:
        return result.skipped
    return ", ".join(f"{t.table}: {t.state}" for t in result.tables)


def queue(tables: list[str] | None = None) -> bool:
    """Queue a fetch now (not the scheduled kind: a missing key is then a failure); call it after commit."""
    try:
        fetch_jobindsats.delay(tables, scheduled=False)
    except Exception:  # the broker is down; the daily run still comes
        logger.warning("Could not queue the Jobindsats fetch", exc_info=True)
        return False
    return True
