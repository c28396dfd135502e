"""Refused applicants' personal data is kept only as long as a complaint about the refusal may need it.

POOL_PERSONAL_DATA_MONTHS after the committee's refusal, the contact person's name, e-mail and phone and the
application's attachments are deleted, in the audit trail as well; the application's project data and the
decision stay (they are the committee's record). Granted and undecided applications keep their data.
"""

import calendar
import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from investments.pool.models import Application, Attachment

logger = logging.getLogger(__name__)


def months_before(today: date, months: int) -> date:
    """The same day `months` earlier (the month's last day where it has fewer days: 31 August - 6 is 28/29 February)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def delete_refused_personal_data(today: date | None = None) -> int:
    """Wipe the personal data of applications refused at least POOL_PERSONAL_DATA_MONTHS ago. Safe to run twice."""
    today = today or timezone.localdate()
    cutoff = months_before(today, settings.POOL_PERSONAL_DATA_MONTHS)
    due = (
        Application.objects.filter(state=Application.State.REFUSED, personal_data_deleted_at__isnull=True)
        .annotate(refused_on=Max("decisions__meeting_date"))
        .filter(refused_on__lte=cutoff)
    )
    count = 0
    for application in due:
        with transaction.atomic():
            files = list(Attachment.objects.filter(application=application))
            for attachment in files:
                attachment.file.delete(save=False)
            Attachment.objects.filter(application=application).delete()
            # The audit trail holds the same names and file names: wipe them there too.
            Attachment.history.filter(application_id=application.pk).delete()
            Application.history.filter(id=application.pk).update(contact_name="", contact_email="", contact_phone="")
            Application.objects.filter(pk=application.pk).update(
                contact_name="", contact_email="", contact_phone="", personal_data_deleted_at=timezone.now()
            )
        logger.info(
            "Deleted personal data and %s attachments of refused pool application %s", len(files), application.pk
        )
        count += 1
    return count
