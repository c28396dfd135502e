from celery import shared_task

from portal.digest import service


@shared_task
def send_digests() -> int:
    """The beat job: each subscriber's digest for the current week or half-year report, at most once."""
    return service.send_due()
