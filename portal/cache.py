"""Dashboard pages (plans' goal pages, the investments overview, ...) kept in the cache (Redis in production,
local memory without it) until the data changes.

    data_version() -> str     the current version of the cached apps' data; part of every cached page's key
    bump()                    a new version: every cached page is out of date at once
    cached_page(view)         view decorator: members' and caseworkers' GET pages from the cache
    remembered(key, compute)  compute()'s answer under the data version (a costly part of an uncached page)

The version is bumped by every write to the models of the apps registered with
portal.registry.cached_app (signals, connected in PortalConfig.ready), and by the apps themselves where
they write without signals (plans: an import's apply and each status refresh, with raw SQL or bulk_update).
A bump happens at once and again when the transaction commits: a page rendered from the old figures
while the transaction was open is then stored under a version nobody asks for any more, so a member
never sees stale figures.

A cached page is shared by the users of one role and language; the parts that belong to one user
(the name in the header, the CSRF tokens of the language and logout forms) are put back for each
request. Administrators' pages (with their forms) are never cached, nor a request that has a
message to show, nor anything but a 200 HTML page.
"""

import re
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape

from portal.context_processors import user_label
from portal.registry import registry
from portal.roles import Role, role_of

VERSION_KEY = "portal:data-version"
TIMEOUT = 24 * 60 * 60  # a page also expires by itself; the date in its key changes each night anyway
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_TOKEN_MARK = b"\x00csrf\x00"
_LABEL_MARK = b"\x00user\x00"


def data_version() -> str | None:
    """None when the cache cannot be reached (portal.redis_cache): then no page is read from it or stored in it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):  # another process was first, or no cache
            version = cache.get(VERSION_KEY)
    return version


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def bump() -> None:
    """Every cached page is out of date: now, and again when the current transaction commits."""
    _new_version()
    transaction.on_commit(_new_version)


def remembered(key: str, compute):
    """compute()'s answer, kept until the data of a cached app changes (it is stored under the data version
    and the language, as the pages are); computed each time when the cache cannot be reached."""
    version = data_version()
    if version is None:
        return compute()
    full_key = f"portal:remembered:{version}:{translation.get_language()}:{key}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, TIMEOUT)
    return found


def bump_on_change(sender, **kwargs) -> None:
    """Signal receiver: any saved or deleted row of an app registered with cached_app (plans, investments)."""
    if sender._meta.app_label in registry.cached_apps:
        bump()


def connect() -> None:
    """Called once from PortalConfig.ready: every save, delete and many-to-many change reaches bump_on_change."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for name, signal in {"save": post_save, "delete": post_delete, "m2m": m2m_changed}.items():
        signal.connect(bump_on_change, dispatch_uid=f"portal-page-cache-{name}")


def _key(request, role: Role, version: str) -> str:
    return ":".join(
        [
            "portal:page",
            version,
            translation.get_language() or settings.LANGUAGE_CODE,
            str(int(role)),
            timezone.localdate().isoformat(),
            request.get_full_path(),
        ]
    )


def _label_html(request, role: Role) -> bytes:
    return f'<span class="user-name">{escape(user_label(request.user, role))}</span>'.encode()


def _personal(content: bytes, request, role: Role) -> bytes:
    """The stored page with this user's name and fresh CSRF tokens."""
    content = content.replace(_LABEL_MARK, _label_html(request, role))
    if _TOKEN_MARK in content:
        parts = content.split(_TOKEN_MARK)
        content = parts[0] + b"".join(get_token(request).encode() + part for part in parts[1:])
    return content


def cached_page(view):
    """Serve members' and caseworkers' GET requests of `view` from the cache (see the module's docstring).

    The view's own role check runs on every request that is not served from the cache; one that
    is, was rendered for a user of the same role, which passed it.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        role = role_of(request.user)
        if request.method != "GET" or role is None or role >= Role.ADMINISTRATOR or len(get_messages(request)):
            return view(request, *args, **kwargs)
        version = data_version()
        if version is None:  # no cache to read or fill
            return view(request, *args, **kwargs)
        key = _key(request, role, version)
        stored = cache.get(key)
        if stored is not None:
            content_type, content = stored
            response = HttpResponse(_personal(content, request, role), content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and content_type.startswith("text/html")
            and not response.streaming
            and not response.has_header("Content-Disposition")
            and not response.cookies
        ):
            label = _label_html(request, role)
            template = _TOKEN.sub(rb"\1" + _TOKEN_MARK + rb"\2", response.content.replace(label, _LABEL_MARK))
            cache.set(key, (content_type, template), TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response

    wrapped.page_cache = True
    return wrapped
