"""Django's Redis cache, stepping aside when Redis cannot be reached.

Everything the portal keeps in this cache (sessions, the logged-in user, dashboard pages) can be read
from the database. So when Redis is out of reach (refused, or silent past the 1 s socket timeouts in
settings) an operation is logged in one line and answers as a miss: `get` its default, `add` and
`has_key` False, `get_many` nothing; writes and deletions are skipped. Pages and logins then come
from the database (tests/portal/test_cache.py). A deletion skipped while Redis is unreachable but
keeps its data leaves that entry until it expires; a restarted Redis starts empty.

A failure also opens a breaker for the process: for CACHE_BREAKER_SECONDS every operation answers
as a miss at once, without asking Redis. A Redis that accepts connections but never answers then
costs a page one socket timeout per interval, not one per operation (a page does several).
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Per process, by server: when Redis may be asked again (time.monotonic()). Django builds a cache
# object per thread, so the breaker lives beside them, not on them.
_open_until: dict[str, float] = {}
_lock = threading.Lock()


def is_open(location: str) -> bool:
    """True while Redis at `location` failed less than CACHE_BREAKER_SECONDS ago in this process."""
    with _lock:
        return time.monotonic() < _open_until.get(location, 0.0)


def _trip(location: str) -> None:
    with _lock:
        _open_until[location] = time.monotonic() + settings.CACHE_BREAKER_SECONDS


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = ",".join(self._servers)

    def _stepping_aside(self, operation: str, call, missing):
        if is_open(self._location):
            return missing
        try:
            return call()
        except (RedisError, OSError) as error:
            _trip(self._location)
            logger.error(
                "The cache could not be reached (%s: %s); going on without it for %s s",
                operation,
                error,
                settings.CACHE_BREAKER_SECONDS,
            )
            return missing

    def get(self, key, default=None, version=None):
        return self._stepping_aside("get", lambda: super(RedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._stepping_aside("get_many", lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._stepping_aside("has_key", lambda: super(RedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._stepping_aside("add", lambda: super(RedisCache, self).add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._stepping_aside("set", lambda: super(RedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # What could not be stored, as Django's contract says: all of it.
        return self._stepping_aside(
            "set_many", lambda: super(RedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._stepping_aside("touch", lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._stepping_aside("delete", lambda: super(RedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._stepping_aside("delete_many", lambda: super(RedisCache, self).delete_many(keys, version), None)
