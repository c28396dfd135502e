"""The client's address, as django-axes keys its lockouts on it."""

import ipaddress
import logging
import re

from django.conf import settings

log = logging.getLogger("portal.proxy")

# The key for a client whose address the proxy sent in a form we cannot read. Never the proxy's own
# address (then one guesser would lock a user out for everyone), and shared by every such client, so
# the per-address limit (portal.throttle) bounds them together. 0.0.0.0 is no client's real address.
UNPARSABLE = "0.0.0.0"
_PORT = re.compile(r":\d{1,5}")


def parse_address(entry: str) -> str | None:
    """One X-Forwarded-For entry as an address, its port stripped: 1.2.3.4:5678, [2001:db8::1]:443."""
    entry = entry.strip()
    if entry.startswith("["):
        host, closed, port = entry[1:].partition("]")
        if not closed or (port and not _PORT.fullmatch(port)):
            return None
    elif entry.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has two colons or more
        host, _colon, port = entry.partition(":")
        if not _PORT.fullmatch(":" + port):
            return None
    else:
        host = entry
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw.

    Each trusted proxy appends the address it was connected from to X-Forwarded-For, so the client
    is the entry that many places from the right; anything further left was written by the client
    and could be forged. Without proxies the header is ignored for the same reason. Behind proxies, a
    missing or unreadable entry gives UNPARSABLE, which is logged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return request.META.get("REMOTE_ADDR")
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    entry = hops[-count] if len(hops) >= count else ""
    address = parse_address(entry)
    if address is None:
        log.warning(
            "unparsable X-Forwarded-For entry; throttled as one hostile client",
            extra={"event": "unparsable_forwarded_for", "entry": entry.strip()[:60]},
        )
        return UNPARSABLE
    return address
