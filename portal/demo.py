"""The demo data set: synthetic figures for every goal, a benchmark ranking and a fair open for sign-ups,
so that a newcomer's `make run` shows the portal at work (manage.py load_demo_data, remove_demo_data).

    load(today=None)      every app's part (portal.registry.demo_data), then the marker; refused unless DEBUG
    remove(today=None)    every app's part in the reverse order, then the marker; nothing to remove is no error
    is_loaded()           whether the marker exists: from the cache, the database at most once per TIMEOUT

Each page shows "Demodata – ikke rigtige tal" while the marker exists (portal.context_processors.demo_data).
The apps decide what is theirs: plans ties its figures to one DataImport record, events names its fair.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from portal.models import DemoData
from portal.registry import registry

logger = logging.getLogger(__name__)
KEY = "portal:demo-data"
# Load and removal set the flag at once; this bounds how long a process whose cache the command cannot
# reach (the embedded mode's local memory) shows the old answer.
TIMEOUT = 5 * 60


class DemoDataRefused(Exception):
    """Demo data is only for development installs (DEBUG on)."""


def is_loaded() -> bool:
    loaded = cache.get(KEY)
    if loaded is None:
        try:
            loaded = DemoData.objects.exists()
        except DatabaseError:  # the database is down or not migrated: the login page must still answer
            logger.warning("Could not read the demo data marker", exc_info=True)
            return False
        cache.set(KEY, loaded, TIMEOUT)
    return loaded


def _remember(loaded: bool) -> None:
    from portal import cache as page_cache  # here: portal.cache imports the context processors, which import this

    cache.set(KEY, loaded, TIMEOUT)
    transaction.on_commit(lambda: cache.set(KEY, loaded, TIMEOUT))  # a request may have read the old marker
    page_cache.bump()  # cached pages carry the banner, or not


def load(today: date | None = None) -> None:
    """Load every app's demo data, relative to `today` (default: the real today). Idempotent."""
    if not settings.DEBUG:
        raise DemoDataRefused(
            "Demodata kan kun indlæses, når DEBUG er slået til: de syntetiske tal må aldrig blandes med rigtige."
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        for _order, load_part, _remove in sorted(registry.demo_parts, key=lambda part: part[0]):
            load_part(today)
        marker, created = DemoData.objects.get_or_create(
            pk=1, defaults={"loaded_at": timezone.now(), "loaded_for": today}
        )
        if not created and marker.loaded_for != today:
            DemoData.objects.filter(pk=1).update(loaded_for=today)
        _remember(True)


def remove(today: date | None = None) -> None:
    """Remove every app's demo data (only what the demo made). Idempotent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        for _order, _load, remove_part in sorted(registry.demo_parts, key=lambda part: part[0], reverse=True):
            remove_part(today)
        DemoData.objects.all().delete()
        _remember(False)
