"""The e-mails of a round, in Danish: the invitation when it starts, and reminders before and after the due date.

An owner is mailed at most once a day (OwnerReminder keeps the day of the last mail, claimed with a
conditional update), so the beat task may run twice and a new round's invitation counts as that day's mail.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from plans.collection.models import CollectionRound, OwnerReminder
from plans.collection.services.rounds import is_overdue, items, owner_of

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE = (7, 1)  # a reminder this many days before the due date
REMIND_EVERY_DAYS_AFTER = 7  # and the day after it, then every week while the figure is missing


def reminder_day(due_on: date, today: date) -> bool:
    """Whether a missing figure due on `due_on` asks for a reminder today."""
    days_left = (due_on - today).days
    return days_left in REMIND_DAYS_BEFORE or (days_left < 0 and (-days_left - 1) % REMIND_EVERY_DAYS_AFTER == 0)


def _claim(user_id: int, today: date) -> bool:
    """Today's mail to this owner, unless one went out already (safe when two workers race)."""
    if OwnerReminder.objects.filter(user_id=user_id, last_sent_on__lt=today).update(last_sent_on=today):
        return True
    try:
        with transaction.atomic():
            OwnerReminder.objects.create(user_id=user_id, last_sent_on=today)
    except IntegrityError:  # a row for today (or a later day) exists
        return False
    return True


def _link(round_: CollectionRound) -> str:
    return round_.site_url.rstrip("/") + reverse("collection:figures", args=[round_.pk])


def _send(user, template: str, subject: str, context: dict, today: date) -> bool:
    """One mail to `user`, claimed for today; False when they were mailed today already or have no address."""
    if not user.email or not user.is_active:
        return False
    with transaction.atomic():
        if not _claim(user.pk, today):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(template, {"user": user, **context})
            send_mail(str(subject), body, None, [user.email])
    return True


def invite(round_id: int, today: date) -> int:
    """Mail each owner of the round's items the link to their page; returns how many were mailed."""
    round_ = CollectionRound.objects.get(pk=round_id)
    by_owner = defaultdict(list)
    for item in items(round_):
        owner = owner_of(item)
        if owner is not None:
            by_owner[owner].append(item)
    sent = 0
    for owner, owed in by_owner.items():
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Indsamling af lokale tal: %(period)s") % {"period": round_.period.label}
        context = {"round": round_, "items": owed, "link": _link(round_)}
        sent += _send(owner, "plans/collection/invitation_email.txt", subject, context, today)
    return sent


def remind(today: date) -> int:
    """Remind each owner whose missing figures are due in a week, tomorrow, or overdue (the day after, then
    weekly); the mail lists all they still owe. Returns how many were mailed."""
    missing = defaultdict(list)
    for item in items().filter(due_on__lte=today + timedelta(days=max(REMIND_DAYS_BEFORE))):
        owner = owner_of(item)
        if owner is not None and not item.received:
            item.overdue = is_overdue(item, today)
            missing[owner].append(item)
    sent = 0
    for owner, owed in missing.items():
        if not any(reminder_day(item.due_on, today) for item in owed):
            continue
        rounds = {item.round.pk: item.round for item in owed}
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Påmindelse: lokale tal mangler")
        context = {"items": owed, "links": [(r, _link(r)) for r in rounds.values()]}
        try:
            sent += _send(owner, "plans/collection/reminder_email.txt", subject, context, today)
        except OSError:  # the mail server: the next owner is still reminded, this one tomorrow
            logger.warning("Could not send a collection reminder", extra={"user_id": owner.pk}, exc_info=True)
    return sent
