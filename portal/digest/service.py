""" "Nyt siden sidst": each app's lines (portal.registry.digest_source) and the årshjul's coming dates
(portal.registry.calendar), filtered by the reader's role; and the e-mail digest the beat job sends.

The portal has no record of the committee's own meetings (events' Meeting is the 50+ follow-up group's, and
the årshjul has no committee-meeting kind), so "since the last meeting" is DEFAULT_DAYS back unless the
user has chosen a date.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.digest.models import DigestDelivery, DigestSettings
from portal.registry import DigestLine, calendar, registry
from portal.roles import Role, role_of

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30  # "since the last committee meeting" without a record of the meetings: about a month
DEADLINE_DAYS = 30  # how far ahead the coming dates reach
WEEK_FALLBACK_DAYS = 7  # a weekly subscriber's first mail: the last week's news
HALF_YEAR_FALLBACK_DAYS = 183
UNSUBSCRIBE_SALT = "portal.digest.unsubscribe"

# The kinds of lines, in the order they are shown; the last one is the coming dates, the others are news.
KINDS = {
    "status": gettext_lazy("Mål med ny status"),
    "figures": gettext_lazy("Nye tal"),
    "import": gettext_lazy("Importer, der bragte tallene"),
    "remark": gettext_lazy("Nye bemærkninger fra forvaltningen"),
    "deadline": gettext_lazy("Kommende frister og datoer"),
}
DEADLINE = "deadline"


@dataclass
class Section:
    kind: str
    label: str
    lines: list[DigestLine]


@dataclass
class Digest:
    since: date
    until: date
    sections: list[Section] = field(default_factory=list)  # only kinds with lines

    @property
    def news(self) -> int:
        return sum(len(s.lines) for s in self.sections if s.kind != DEADLINE)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def default_since(today: date) -> date:
    return today - timedelta(days=DEFAULT_DAYS)


def settings_of(user) -> DigestSettings | None:
    return DigestSettings.objects.filter(user=user).first()


def calendar_lines(today: date, until: date) -> list[DigestLine]:
    """The årshjul's events from today to `until` (fairs and their deadlines, follow-ups, the pool's
    deadlines, ...); an event without a day when its month overlaps. Without a page of its own, an
    event links to the årshjul."""
    lines = []
    for year in range(today.year, until.year + 1):
        for entry in calendar(year):
            first = date(year, entry.month, 1)
            if entry.day is not None:
                if not today <= entry.day <= until:
                    continue
            elif not (first <= until and (first + timedelta(days=31)).replace(day=1) > today):
                continue
            url = entry.url or reverse("plans:wheel")
            lines.append(DigestLine(DEADLINE, entry.title, url, entry.day or first, Role.MEMBER, entry.day is None))
    return lines


def collect(role: Role, start: datetime, today: date) -> Digest:
    """What `role` may read of the news since `start` and the dates from today to DEADLINE_DAYS ahead."""
    until = today + timedelta(days=DEADLINE_DAYS)
    found = [line for source in registry.digest_sources for line in source(start, today, until)]
    found += calendar_lines(today, until)
    digest = Digest(since=timezone.localdate(start), until=until)
    for kind, label in KINDS.items():
        lines = [line for line in found if line.kind == kind and line.min_role <= role]
        if lines:
            lines.sort(key=lambda line: line.at, reverse=kind != DEADLINE)  # news newest first, dates soonest
            digest.sections.append(Section(kind, str(label), lines))
    return digest


def for_start_page(user, role: Role, today: date) -> dict:
    """The start page's "Nyt siden sidst": the user's chosen date (or DEFAULT_DAYS back) and the digest."""
    chosen = settings_of(user)
    since = chosen.since if chosen and chosen.since else default_since(today)
    return {
        "digest": collect(role, start_of(since), today),
        "since_chosen": bool(chosen and chosen.since),
        "subscribed": bool(chosen and chosen.frequency),
    }


def choose_since(user, since: date | None) -> None:
    DigestSettings.objects.update_or_create(user=user, defaults={"since": since})


def subscribe(user, frequency: str, language: str, site_url: str) -> None:
    DigestSettings.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "language": language, "site_url": site_url[:200]}
    )


# --- the unsubscribe link -------------------------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    """A signed token naming the user: only the portal's SECRET_KEY makes one, so nobody can forge another's."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_id_of(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def unsubscribe(user_id: int) -> None:
    """Idempotent: a second click changes nothing."""
    DigestSettings.objects.filter(user_id=user_id).update(frequency=DigestSettings.Frequency.NONE)


# --- the e-mail digest ----------------------------------------------------------------------------------------


def week_key(today: date) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def ready_report(today: date) -> tuple[str, str, str] | None:
    return next((found for latest in registry.report_ready if (found := latest(today))), None)


def send_due(now: datetime | None = None) -> int:
    """Send each subscriber the digest of the current period (a week, or the newest ready half-year report)
    unless it was sent already or there is nothing new; returns how many were sent. Safe to run twice:
    a delivery is claimed by its unique (user, period) row before the mail goes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = ready_report(today)
    subscribers = (
        DigestSettings.objects.exclude(frequency=DigestSettings.Frequency.NONE)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    sent = 0
    for found in subscribers:
        try:
            sent += send_to(found, now, today, report)
        except Exception:  # one user's failed mail must not keep the others' from going
            logger.exception("Nyt siden sidst kunne ikke sendes til bruger %s", found.user_id)
    return sent


def send_to(found: DigestSettings, now: datetime, today: date, report: tuple[str, str, str] | None) -> bool:
    user = found.user
    role = role_of(user)
    if role is None:  # no role any more: nothing the portal may tell them
        return False
    if found.frequency == DigestSettings.Frequency.WEEKLY:
        key, fallback = week_key(today), now - timedelta(days=WEEK_FALLBACK_DAYS)
    elif report is not None:
        key, fallback = report[0], now - timedelta(days=HALF_YEAR_FALLBACK_DAYS)
    else:
        return False
    if DigestDelivery.objects.filter(user=user, key=key).exists():
        return False
    last = DigestDelivery.objects.filter(user=user).order_by("-sent_at").values_list("sent_at", flat=True).first()
    with translation.override(found.language):
        digest = collect(role, last or fallback, today)
        ready = report if found.frequency == DigestSettings.Frequency.HALF_YEARLY else None
        if not digest.news and ready is None:
            return False
        try:
            with transaction.atomic():
                delivery = DigestDelivery.objects.create(user=user, key=key, sent_at=now, lines=digest.news)
        except IntegrityError:  # another run claimed this period first
            return False
        try:
            _mail(found, digest, ready).send()
        except Exception:
            delivery.delete()  # the next run tries again
            raise
    return True


def _mail(found: DigestSettings, digest: Digest, report) -> EmailMultiAlternatives:
    site = found.site_url.rstrip("/")
    unsubscribe_url = site + reverse("digest_unsubscribe", args=[unsubscribe_token(found.user)])
    context = {
        "user": found.user,
        "language": found.language,
        "digest": digest,
        "site": site,
        "report": report,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": site + reverse("digest_settings"),
    }
    mail = EmailMultiAlternatives(
        _("Udvalgsportalen: nyt siden %(date)s") % {"date": date_format(digest.since, "DATE_FORMAT")},
        render_to_string("portal/digest/mail.txt", context),
        to=[found.user.email],
        # One click from the mail program's own unsubscribe button (RFC 8058) posts to the same link.
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    mail.attach_alternative(render_to_string("portal/digest/mail.html", context), "text/html")
    return mail
