"""Sessions read from the cache and written through to the database (Django's cached_db), that go on
when Redis cannot be reached: Django's own store reads the database then but fails writing the cache
back, so every page would answer 500 until Redis is back."""

from django.contrib.sessions.backends import cached_db

from portal.cache import quietly


class _StepAside:
    """The cache operations cached_db uses, each skipped (and logged) when Redis cannot be reached."""

    def __init__(self, cache):
        self._cache = cache

    def get(self, key, default=None):
        return quietly(self._cache.get, key, default)

    def set(self, key, value, timeout):
        quietly(self._cache.set, key, value, timeout)

    def delete(self, key):
        quietly(self._cache.delete, key)

    def __contains__(self, key):
        return bool(quietly(self._cache.has_key, key, default=False))


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _StepAside(self._cache)
