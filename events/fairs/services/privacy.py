"""Citizens' personal data is kept only as long as the fair needs it."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.fairs.models import CitizenSignup, Fair, PersonalDataDeletion

logger = logging.getLogger(__name__)


def delete_expired_personal_data(today: date | None = None) -> int:
    """Anonymise sign-ups of fairs held more than FAIR_PERSONAL_DATA_DAYS ago. Safe to run twice.

    The personal fields (CitizenSignup.PERSONAL_FIELDS) and the consent's date are wiped, in the sign-ups and
    in their audit trail; benefit group, needs, status and attendance stay, so the committee's aggregate
    figures do not change. Each deletion is logged.
    """
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.FAIR_PERSONAL_DATA_DAYS)
    total = 0
    for fair in Fair.objects.filter(date__lt=cutoff, personal_data_deleted_at__isnull=True):
        with transaction.atomic():
            now = timezone.now()
            wiped = CitizenSignup.wiped_values()
            count = CitizenSignup.objects.filter(fair=fair, anonymised_at__isnull=True).update(
                **wiped, anonymised_at=now
            )
            # The audit trail holds the same names: wipe them there too.
            CitizenSignup.history.filter(fair_id=fair.pk).update(**wiped)
            PersonalDataDeletion.objects.create(fair=fair, signups=count)
            Fair.objects.filter(pk=fair.pk).update(personal_data_deleted_at=now)
        logger.info("Deleted personal data of %s sign-ups for fair %s (%s)", count, fair.pk, fair.date)
        total += count
    return total
