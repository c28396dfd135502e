"""A small OpenID Connect provider for the tests: a WSGI app on 127.0.0.1:<free port>, in a thread.

It does what Entra ID or AD FS does for the portal's login, and checks what they check:
discovery, /authorize (a page to pick a test user, or ``login_hint=<user>`` to pick one at once;
consent is automatic), /token (the client's secret, the code once, the redirect URI, PKCE),
an RS256-signed ID token with the nonce, /userinfo (bearer token) and /jwks.

Like Entra ID, it puts the groups claim in the ID token only, so the portal must read it there.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "udvalgsportalen-test"
CLIENT_SECRET = "test-provider-secret-0123456789"
# The municipality's staff as the provider knows them; the groups are the provider's own names.
USERS = {
    "anne": {
        "sub": "00a1-anne",
        "name": "Anne Udvalg",
        "given_name": "Anne",
        "family_name": "Udvalg",
        "email": "anne@norddjurs.test",
        "groups": ["grp-amu"],
    },
    "sara": {
        "sub": "00b2-sara",
        "name": "Sara Sag",
        "given_name": "Sara",
        "family_name": "Sag",
        "email": "sara@norddjurs.test",
        "groups": ["grp-kantine", "grp-sag"],
    },
    "adam": {
        "sub": "00c3-adam",
        "name": "Adam Admin",
        "given_name": "Adam",
        "family_name": "Admin",
        "email": "adam@norddjurs.test",
        "groups": ["GRP-ADM"],
    },
    "ulla": {
        "sub": "00d4-ulla",
        "name": "Ulla Udenfor",
        "given_name": "Ulla",
        "family_name": "Udenfor",
        "email": "ulla@norddjurs.test",
        "groups": ["grp-kantine"],
    },
    "nina": {
        "sub": "00e5-nina",
        "name": "Nina Nogroups",
        "given_name": "Nina",
        "family_name": "Nogroups",
        "email": "nina@norddjurs.test",
    },
}
# OIDC_GROUP_ROLES as the tests configure it (the roles' case differs on purpose).
GROUP_ROLES = {"grp-amu": "Udvalgsmedlem", "grp-sag": "Sagsbehandler", "grp-adm": "administrator"}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Provider:
    def __init__(self, users: dict[str, dict] | None = None):
        """users: login name -> claims (sub, name, given_name, family_name, email, groups)."""
        self.users = {name: dict(claims) for name, claims in (users or USERS).items()}
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, str] = {}
        self.token_requests: list[dict] = []
        self.audience = CLIENT_ID  # a test may issue ID tokens for another client
        self.server = make_server("127.0.0.1", 0, self.app, server_class=_Server, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- the endpoints --------------------------------------------------------------------------
    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
            "/jwks": self.jwks,
        }
        handler = routes.get(path)
        if path == "/favicon.ico":  # the browser asks; a 404 would be a console error
            start_response("204 No Content", [])
            return [b""]
        if handler is None:
            return self._answer(start_response, "404 Not Found", {"error": "not_found"})
        return handler(environ, query, start_response)

    def discovery(self, environ, query, start_response):
        return self._answer(
            start_response,
            "200 OK",
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            },
        )

    def authorize(self, environ, query, start_response):
        if (
            query.get("client_id") != CLIENT_ID
            or query.get("response_type") != "code"
            or "openid" not in query.get("scope", "").split()
        ):
            return self._answer(start_response, "400 Bad Request", {"error": "invalid_request"})
        user = query.get("login_hint")
        if user not in self.users:
            return self._choose_user_page(query, start_response)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "user": user,
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "code_challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method"),
        }
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
        start_response("302 Found", [("Location", location)])
        return [b""]

    def _choose_user_page(self, query, start_response):
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k != "login_hint"
        )
        buttons = "".join(
            f'<p><button type="submit" name="login_hint" value="{html.escape(name)}">{html.escape(claims["name"])}</button></p>'
            for name, claims in self.users.items()
        )
        page = (
            '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Testlogin</title></head><body><main>'
            f'<h1>Testlogin</h1><form method="get" action="/authorize">{hidden}{buttons}</form></main></body></html>'
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    def token(self, environ, query, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        self.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            return self._answer(start_response, "401 Unauthorized", {"error": "invalid_client"})
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return self._answer(start_response, "400 Bad Request", {"error": "invalid_grant"})
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant["method"] != "S256" or challenge != grant["code_challenge"]:
                return self._answer(
                    start_response, "400 Bad Request", {"error": "invalid_grant", "error_description": "PKCE"}
                )
        claims = self.users[grant["user"]]
        now = int(time.time())
        id_token = jwt.encode(
            {"iss": self.url, "aud": self.audience, "iat": now, "exp": now + 300, "nonce": grant["nonce"], **claims},
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["user"]
        return self._answer(
            start_response,
            "200 OK",
            {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token},
        )

    def userinfo(self, environ, query, start_response):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        user = self.access_tokens.get(auth.removeprefix("Bearer "))
        if not auth.startswith("Bearer ") or user is None:
            return self._answer(start_response, "401 Unauthorized", {"error": "invalid_token"})
        return self._answer(start_response, "200 OK", {k: v for k, v in self.users[user].items() if k != "groups"})

    def jwks(self, environ, query, start_response):
        key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return self._answer(
            start_response, "200 OK", {"keys": [{**key, "kid": self.kid, "alg": "RS256", "use": "sig"}]}
        )

    @staticmethod
    def _answer(start_response, status, body):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]
