"""Citizens' sign-ups for a fair: seats, the waiting list and check-in.

Every change to a fair's seats locks the fair's row first (SELECT ... FOR UPDATE), so two
caseworkers taking the last seat at the same moment are served one after the other: one gets
the seat, the other the waiting list.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.fairs.models import CitizenSignup, Fair


def seats_taken(fair: Fair) -> int:
    return fair.signups.filter(status=CitizenSignup.Status.CONFIRMED).count()


def register(fairs: list[Fair], data: dict, user, submission_key: str = "") -> list[CitizenSignup]:
    """Sign a citizen up for one or more fairs; each gets a seat or a place on the waiting list."""
    signups = []
    with transaction.atomic():
        for fair_id in sorted(f.pk for f in fairs):  # a fixed order: two registrations never wait on each other
            fair = Fair.objects.select_for_update().get(pk=fair_id)
            if fair.date < timezone.localdate():
                raise ValidationError(
                    _("Messen på %(venue)s er afholdt; der kan ikke tilmeldes flere.") % {"venue": fair.venue}
                )
            existing = fair.signups.filter(submission_key=submission_key).first() if submission_key else None
            if existing:  # the same form sent twice
                signups.append(existing)
                continue
            full = fair.capacity is not None and seats_taken(fair) >= fair.capacity
            signup = CitizenSignup(
                fair=fair,
                registered_by=user,
                submission_key=submission_key,
                status=CitizenSignup.Status.WAITING if full else CitizenSignup.Status.CONFIRMED,
                consent_date=timezone.localdate() if data.get("consent_to_contact") else None,
                **{k: data[k] for k in CitizenSignup.ENTERED_FIELDS if k in data},
            )
            signup.full_clean(exclude=["registered_by"])
            try:
                with transaction.atomic():
                    signup.save()
            except IntegrityError:  # the same submission won a race against this one
                signups.append(fair.signups.get(submission_key=submission_key))
                continue
            signups.append(signup)
    return signups


def cancel(signup_id: int, today: date | None = None) -> CitizenSignup | None:
    """Cancel a sign-up; a freed seat goes to the first on the waiting list, who is returned.

    Refused (ValidationError) once the citizen's attendance is noted or the fair is held (CitizenSignup.cancel_refusal).
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        fair_id = CitizenSignup.objects.values_list("fair_id", flat=True).get(pk=signup_id)
        fair = Fair.objects.select_for_update().get(pk=fair_id)
        signup = CitizenSignup.objects.get(pk=signup_id)
        if signup.status == CitizenSignup.Status.CANCELLED:
            return None
        if refusal := signup.cancel_refusal(today, fair.date):
            raise ValidationError(refusal)
        signup.status, signup.status_changed_at = CitizenSignup.Status.CANCELLED, timezone.now()
        signup.save(update_fields=["status", "status_changed_at"])
        promoted = _fill_free_seats(fair)
    return promoted[0] if promoted else None


def set_capacity(fair_id: int, capacity: int | None) -> list[CitizenSignup]:
    """Change a fair's capacity; more seats move people up from the waiting list. Nobody loses a seat."""
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair_id)
        fair.capacity = capacity
        fair.save(update_fields=["capacity"])
        return _fill_free_seats(fair)


def _fill_free_seats(fair: Fair) -> list[CitizenSignup]:
    free = None if fair.capacity is None else fair.capacity - seats_taken(fair)
    waiting = fair.signups.filter(status=CitizenSignup.Status.WAITING).order_by("registered_at", "id")
    promoted = list(waiting if free is None else waiting[: max(free, 0)])
    now = timezone.now()
    for signup in promoted:
        signup.status, signup.status_changed_at = CitizenSignup.Status.CONFIRMED, now
        signup.save(update_fields=["status", "status_changed_at"])
    return promoted


def check_in(signup_id: int, attended: bool, today: date | None = None) -> CitizenSignup:
    """Note whether a citizen with a seat came; only while the fair's check-in is open (Fair.checkin_open)."""
    today = today or timezone.localdate()
    signup = CitizenSignup.objects.select_related("fair").get(pk=signup_id, status=CitizenSignup.Status.CONFIRMED)
    if not signup.fair.checkin_open(today):
        raise ValidationError(
            _("Indtjekningen er åben fra messens dag, %(opens)s, til og med %(closes)s.")
            % {"opens": date_format(signup.fair.date), "closes": date_format(signup.fair.checkin_closes)}
        )
    signup.attended = attended
    signup.save(update_fields=["attended"])
    return signup
