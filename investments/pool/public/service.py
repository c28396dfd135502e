"""What the public form does: which round is open, storing an application with its files, the receipt."""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from investments.pool.models import Application, Attachment, PoolRound
from investments.pool.services import attachments, rounds

log = logging.getLogger("investments.pool.public")
# Crockford's base32 without I, L, O, U: a reference read out on the phone is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class RoundWindow:
    """The round whose deadline is next, and the day it opens (the day after the previous round's deadline)."""

    round: PoolRound | None
    opens_on: date | None

    def is_open(self, today: date) -> bool:
        return self.round is not None and self.opens_on <= today <= self.round.deadline


def current_window(today: date) -> RoundWindow:
    """The round the form applies to: the first whose deadline (the whole day) has not passed.

    A round opens the day after the previous round's deadline; the first round on record opens on
    1 January of its year. Without a coming round the form is closed and the next opening is unknown.
    """
    coming = rounds.open_round(today)
    if coming is None:
        return RoundWindow(None, None)
    previous = PoolRound.objects.filter(deadline__lt=coming.deadline).order_by("-deadline").first()
    opens_on = previous.deadline + timedelta(days=1) if previous else date(coming.deadline.year, 1, 1)
    return RoundWindow(coming, opens_on)


def reference(application: Application) -> str:
    """The applicant's reference: the round's year and 8 characters derived from the id with a key.

    Not the bare id, which would tell every applicant how many applications the pool has had.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"pool-application:{application.pk}".encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:5])
    code = "".join(_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"P{application.round.deadline.year}-{code[:4]}-{code[4:]}"


def submit(pool_round: PoolRound, data: dict, uploads: list) -> Application:
    """Store an application from the public form and its checked PDF files in one transaction.

    `data` holds the form's cleaned values for the Application's fields. If the transaction fails, the
    files already written are deleted again.
    """
    stored = []
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=pool_round, source=Application.Source.WEB, state=Application.State.RECEIVED, **data
            )
            for upload in uploads:
                stored.append(attachments.store(upload, application).file.name)
    except BaseException:
        for name in stored:
            Attachment.file.field.storage.delete(name)
        raise
    log.info("pool application received", extra={"event": "pool_application", "application_id": application.pk})
    return application


def send_receipt(application: Application, language: str) -> bool:
    """The receipt to the contact person: the reference and the round, nothing the form's sender wrote,
    so the form cannot carry someone's text to a stranger's inbox. False when the mail could not be sent."""
    with translation.override(language):
        pool_round = application.round
        context = {"reference": reference(application), "round": pool_round, "received_at": application.received_at}
        subject = render_to_string("investments/pool/public/receipt_subject.txt", context).strip()
        body = render_to_string("investments/pool/public/receipt_email.txt", context)
    try:
        EmailMessage(subject, body, None, [application.contact_email]).send()
    except Exception as error:  # the application is stored; a mail server's failure is only logged
        log.warning(
            "pool receipt not sent",
            extra={"event": "pool_receipt_failed", "application_id": application.pk, "error": type(error).__name__},
        )
        return False
    return True
