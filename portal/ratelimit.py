"""A counter per client address and time window, for the forms open without a login.

The login has its own throttling (django-axes, portal.throttle); a public form, such as the pool's
application form, counts what each address sends in the cache: `take` reserves one of `limit` uses in
the current window of `window` seconds, and `give_back` returns it (a form sent with errors is no
submission). The window is fixed, so an address gets at most twice the limit across a window's edge.

The address (portal.proxy.client_ip: behind the proxy, the one the proxy saw) is keyed by an HMAC, so
the cache holds no addresses; an IPv6 client is counted by its /64 network, which one client can fill
with addresses of its own. When the cache cannot be reached the count goes on in this process
(bounded per worker rather than not at all) and one line is logged.
"""

import hashlib
import hmac
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

from portal import redis_cache
from portal.proxy import client_ip

log = logging.getLogger("portal.ratelimit")
_local = LocMemCache("portal-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def client_key(request) -> str:
    """The client's address as a counter key: an HMAC of the address, or of its /64 network for IPv6."""
    address = client_ip(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.version == 6 and parsed.ipv4_mapped is None:
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _cache_key(name: str, key: str, window: int) -> str:
    return f"ratelimit:{name}:{key}:{int(time.time() // window)}"


def _shared_cache_is_down() -> bool:
    location = getattr(cache, "_location", None)
    return location is not None and redis_cache.is_open(location)


def _incr(name: str, key: str, window: int, delta: int) -> int:
    full = _cache_key(name, key, window)
    if not _shared_cache_is_down():
        try:
            cache.add(full, 0, timeout=window + 1)
            return cache.incr(full, delta)
        except (RedisError, OSError, ValueError) as error:  # unreachable, or the key vanished: count here
            log.warning(
                "rate limit counted in this process; the cache failed",
                extra={"event": "ratelimit_local", "error": type(error).__name__},
            )
    _local.add(full, 0, timeout=window + 1)
    return _local.incr(full, delta)


def take(name: str, key: str, limit: int, window: int) -> bool:
    """Count one use for `key` in this window; False when it is beyond `limit`."""
    return _incr(name, key, window, 1) <= limit


def give_back(name: str, key: str, window: int) -> None:
    """Return a use that `take` reserved, e.g. for a form that was sent with errors."""
    _incr(name, key, window, -1)
