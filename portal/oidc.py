"""Single sign-on with OpenID Connect (mozilla-django-oidc) against the municipality's identity provider.

Switched on by OIDC_CLIENT_ID (settings.py; docs/operations.md). The provider's endpoints come
from OIDC_ISSUER's discovery document (fetched when a login needs it, kept for an hour; a failed
one is not asked for again for OIDC_DISCOVERY_RETRY_SECONDS) or from explicit settings. Every call
to the provider has OIDC_TIMEOUT seconds in all, so a provider that hangs or trickles cannot hold a
web worker longer. The login is the authorisation code flow with PKCE, state and nonce; the ID
token's signature (the provider's JWKS), audience, issuer and expiry are checked.

Roles come from the provider: its groups claim (OIDC_GROUPS_CLAIM) is mapped through
OIDC_GROUP_ROLES at every login, so a group taken away at the provider takes the role away at the
next login. A user in no mapped group is not logged in, gets no account and no role, and sees a
page saying whom to ask (``portal.views.sso_no_role``). SSO users are matched on the provider's
``sub`` claim (username ``sso-<sub>``), never on an e-mail address, and have no usable password.
"""

import hashlib
import logging
import threading
import time

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from portal.auth import cached_user
from portal.roles import DATA_OWNER_GROUP, PORTAL_GROUPS, Role

log = logging.getLogger("portal.sso")

# Setting -> key in the provider's discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_TTL = 3600  # seconds a discovery document is kept
_discovered: dict[str, tuple[float, dict]] = {}
_failed: dict[str, float] = {}  # issuer -> when its discovery last failed (time.monotonic())
_lock = threading.Lock()


def within_deadline(call, *args):
    """call(*args), given OIDC_TIMEOUT seconds in all; requests.Timeout after that.

    requests' timeout bounds each read, so a provider that trickles its answer would hold the web worker
    as long as it likes. The call runs in a thread of its own, which is left behind at the deadline to
    end by itself (at its next read timeout, or when the provider hangs up).
    """
    outcome = {}

    def run():
        try:
            outcome["value"] = call(*args)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="oidc-call", daemon=True)
    worker.start()
    worker.join(settings.OIDC_TIMEOUT)
    if worker.is_alive():
        raise requests.Timeout(f"The identity provider did not answer within {settings.OIDC_TIMEOUT} s.")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _read_discovery(issuer: str) -> dict:
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ImproperlyConfigured("The discovery document names another issuer than OIDC_ISSUER.")
    return document


def discovery(issuer: str) -> dict:
    """The provider's /.well-known/openid-configuration, checked to name the configured issuer.

    A failure is remembered for OIDC_DISCOVERY_RETRY_SECONDS: until then every login answers at once that
    the provider cannot be reached, instead of each click holding a worker for OIDC_TIMEOUT.
    """
    now = time.monotonic()
    with _lock:
        cached = _discovered.get(issuer)
        failed_at = _failed.get(issuer)
    if cached and now - cached[0] < DISCOVERY_TTL:
        return cached[1]
    if failed_at is not None and now - failed_at < settings.OIDC_DISCOVERY_RETRY_SECONDS:
        raise requests.ConnectionError(
            f"The provider's discovery failed {now - failed_at:.0f} s ago; it is asked again after "
            f"{settings.OIDC_DISCOVERY_RETRY_SECONDS} s."
        )
    try:
        document = within_deadline(_read_discovery, issuer)
    except Exception:
        with _lock:
            _failed[issuer] = time.monotonic()
        raise
    with _lock:
        _discovered[issuer] = (time.monotonic(), document)
        _failed.pop(issuer, None)
    return document


def setting(attr, *default):
    """mozilla-django-oidc's settings lookup, with endpoints filled in from discovery."""
    if attr in ENDPOINTS:
        value = getattr(settings, attr, "") or ""
        if not value and settings.OIDC_ISSUER:
            value = discovery(settings.OIDC_ISSUER).get(ENDPOINTS[attr], "")
        if value:
            return value
        if default:
            return default[0]
        raise ImproperlyConfigured(f"{attr} is neither set nor in the provider's discovery document.")
    return import_from_settings(attr, *default)


def expected_issuer() -> str | None:
    if not settings.OIDC_ISSUER:
        return None
    return str(discovery(settings.OIDC_ISSUER)["issuer"]).rstrip("/")


def username_for(sub: str) -> str:
    """A stable username from the provider's subject identifier (fits Django's 150 characters)."""
    if len(sub) <= 140 and sub.isprintable() and not any(c.isspace() for c in sub):
        return f"sso-{sub}"
    return "sso-" + hashlib.sha256(sub.encode()).hexdigest()


def role_groups_for(claims: dict) -> set[str]:
    """The portal's role groups that the claims' provider groups map to (may be empty)."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    mapping = settings.OIDC_GROUP_ROLES
    return {mapping[key] for key in (str(group).casefold() for group in value) if key in mapping}


def is_sso_callback(request, credentials=None) -> bool:
    """django-axes' whitelist: an SSO login is not a password guess.

    Without this, users refused for want of a role would count as failed logins of the username
    None from their address, and five of them would lock SSO for a whole office behind one NAT.
    """
    return bool(credentials) and "nonce" in credentials


class OIDCBackend(OIDCAuthenticationBackend):
    """Logs in SSO users, syncs their role from the provider's groups; refuses users without one."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every request of a logged-in user; the provider is only
        # asked (discovery) when a login needs an endpoint, through the properties below.
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: setting("OIDC_OP_USER_ENDPOINT", ""))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def get_user(self, user_id):
        return cached_user(user_id, super().get_user)  # portal.auth: not a query on every request

    # The provider's token, keys and userinfo, each within OIDC_TIMEOUT in all (within_deadline).
    def get_token(self, payload):
        return within_deadline(super().get_token, payload)

    def retrieve_matching_jwk(self, token):
        return within_deadline(super().retrieve_matching_jwk, token)

    def authenticate(self, request, **kwargs):
        # Only the callback view logs in through here (it always passes a nonce); a password
        # login with ?code=…&state=… in its address must not start a token exchange.
        if not settings.OIDC_ENABLED or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (a signed userinfo answer has no nonce)
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The ID token is not for this client.")
            if len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
                raise SuspiciousOperation("The ID token's authorised party is another client.")
            issuer = expected_issuer()
            if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
                raise SuspiciousOperation("The ID token is from another issuer.")
            if "exp" not in payload or not payload.get("sub"):
                raise SuspiciousOperation("The ID token has no expiry or no subject.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint where the provider has one.

        Entra ID puts the groups in the ID token only; other providers in userinfo only.
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = within_deadline(super().get_userinfo, access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo names another subject than the ID token.")
            claims.update({key: value for key, value in info.items() if value not in (None, "", [])})
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        username = username_for(str(claims["sub"]))
        user = self.UserModel.objects.filter(username=username).first()
        role_groups = role_groups_for(claims)
        if not role_groups:
            if user is not None:  # the provider took the last mapped group away
                user.groups.remove(*Group.objects.filter(name__in=PORTAL_GROUPS))
            self.request.sso_no_role = True
            log.info(
                "sso login refused", extra={"event": "sso", "outcome": "no_role", "user_id": user.pk if user else None}
            )
            return None
        if user is None:
            user = self.UserModel.objects.create_user(username)  # no usable password
        user.first_name = str(claims.get("given_name") or "")[:150]
        user.last_name = str(claims.get("family_name") or "")[:150]
        if not (user.first_name or user.last_name) and claims.get("name"):
            user.first_name = str(claims["name"])[:150]
        user.email = str(claims.get("email") or "")[:254]
        user.save()
        current = set(user.groups.filter(name__in=PORTAL_GROUPS).values_list("name", flat=True))
        if current != role_groups:
            user.groups.remove(*Group.objects.filter(name__in=current - role_groups))
            user.groups.add(*Group.objects.filter(name__in=role_groups))
        # A data owner may hold no role (portal.roles): then the log names the capability.
        role = max((role for role in Role if role.group_name in role_groups), default=None)
        label = role.group_name if role else DATA_OWNER_GROUP
        log.info("sso login", extra={"event": "sso", "outcome": "ok", "user_id": user.pk, "role": label})
        return user


def _unavailable(request, error):
    log.warning(
        "sso provider unreachable", extra={"event": "sso", "outcome": "provider_error", "error": type(error).__name__}
    )
    messages.error(
        request, _("Norddjurs Kommunes login kan ikke nås lige nu. Prøv igen om lidt, eller kontakt IT-support.")
    )
    return redirect("login")


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (the "Log ind med Norddjurs Kommunes login" button)."""

    get_settings = staticmethod(setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is looked up per login (below), not at construction

    OIDC_OP_AUTH_ENDPOINT = property(lambda self: setting("OIDC_OP_AUTHORIZATION_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            return _unavailable(request, error)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend exchanges it."""

    get_settings = staticmethod(setting)

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            return _unavailable(request, error)
        except SuspiciousOperation as error:  # a replayed or forged answer, or a stale tab
            log.warning("sso login failed", extra={"event": "sso", "outcome": "refused", "error": str(error)})
            return self.login_failure()

    def login_failure(self):
        if getattr(self.request, "sso_no_role", False):
            self.request.session["sso_no_role"] = True
            return redirect("sso_no_role")
        messages.error(
            self.request,
            _(
                "Du blev ikke logget ind med Norddjurs Kommunes login. Prøv igen, og kontakt IT-support, hvis det bliver ved."
            ),
        )
        return redirect("login")
