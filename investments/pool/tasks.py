from celery import shared_task

from investments.pool.services import privacy


@shared_task
def delete_refused_personal_data() -> int:
    """Nightly (portal.settings.CELERY_BEAT_SCHEDULE); safe to run twice."""
    return privacy.delete_refused_personal_data()
