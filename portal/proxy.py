"""The client's address, as django-axes keys its lockouts on it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw.

    Each trusted proxy appends the address it was connected from to X-Forwarded-For, so the client
    is the entry that many places from the right; anything further left was written by the client
    and could be forged. Without proxies the header is ignored for the same reason.
    """
    count = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count > 0 and len(hops) >= count:
        try:
            return str(ipaddress.ip_address(hops[-count]))
        except ValueError:
            pass  # not an address: a misconfigured proxy; fall back rather than fail the login
    return request.META.get("REMOTE_ADDR")
