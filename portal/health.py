"""Health endpoints for the load balancer and monitoring.

- ``/healthz``: the process is up and answers (200 "ok"). It touches nothing else.
- ``/readyz``: the database, Redis and a Celery worker can be reached, each within
  ``HEALTH_TIMEOUT`` seconds (at most 2). 200 when every required check passes, else 503. In the
  embedded mode (no ``REDIS_URL``) tasks run in-process, so Redis and the worker are not required.

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``: a probe needs no login
(``LoginRequiredMiddleware`` is never reached), no allowed Host header (probes often use the
container's address) and no HTTPS (the TLS proxy sits in front, the probe behind it). The answer
names each check with "ok" or "fail" and nothing else: no versions, host names or error texts.
Probes are not written to the request log (they come every few seconds).
"""

import json
import threading
import time

from django.conf import settings
from django.db import connections
from django.http import HttpResponse, HttpResponseNotAllowed

OK, FAIL, NOT_REQUIRED = "ok", "fail", "not required"
MAX_TIMEOUT = 2.0


def _timeout() -> float:
    return min(float(getattr(settings, "HEALTH_TIMEOUT", MAX_TIMEOUT)), MAX_TIMEOUT)


def check_database(timeout: float) -> None:
    """Open a fresh connection to the default database and run SELECT 1."""
    connection = connections.create_connection("default")
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def check_redis(timeout: float) -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        if not client.ping():
            raise ConnectionError("no PONG")
    finally:
        client.close()


def check_worker(timeout: float) -> None:
    """At least one Celery worker answers a ping on the broker (REDIS_URL).

    A Celery app of its own, on REDIS_URL, so that the ping never waits on a pooled connection
    of the portal's app that Redis dropped.
    """
    from celery import Celery

    app = Celery("portal-health", broker=settings.REDIS_URL, set_as_current=False)
    app.conf.update(broker_connection_timeout=timeout, broker_connection_retry=False, broker_connection_max_retries=0)
    try:
        if not app.control.ping(timeout=max(timeout - 0.2, 0.3), limit=1):
            raise ConnectionError("no worker answered")
    finally:
        app.close()


def _run(checks, deadline: float) -> dict[str, str]:
    """Run each chain of checks in its own daemon thread; what has not finished by the deadline failed.

    A chain stops at its first failure (no worker can be reached when Redis cannot).
    """
    results: dict[str, str] = {}

    def run_chain(chain):
        for position, (name, check) in enumerate(chain):
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                check(remaining)
            except Exception:  # any error is a failed check; its text is not shown
                results.update({later: FAIL for later, _ in chain[position:]})
                return
            results[name] = OK

    threads = [threading.Thread(target=run_chain, args=(chain,), daemon=True) for chain in checks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    return results


def readiness() -> dict[str, str]:
    """{check: "ok" | "fail" | "not required"} for the database, Redis and the worker."""
    timeout = _timeout()
    chains = [[("database", check_database)]]
    if settings.REDIS_URL:
        chains.append([("redis", check_redis), ("worker", check_worker)])
    names = ["database", "redis", "worker"]
    results = _run(chains, time.monotonic() + timeout)
    if not settings.REDIS_URL:
        results.update(redis=NOT_REQUIRED, worker=NOT_REQUIRED)
    return {name: results.get(name, FAIL) for name in names}


def _response(body: dict, status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), content_type="application/json", status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A probe that fails every few seconds is the monitor's to report, not django.request's.
    response._has_been_logged = True
    return response


def healthz(request) -> HttpResponse:
    return _response({"status": OK}, 200)


def readyz(request) -> HttpResponse:
    checks = readiness()
    ready = all(value != FAIL for value in checks.values())
    return _response({"status": OK if ready else FAIL, "checks": checks}, 200 if ready else 503)


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before any other middleware (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = ENDPOINTS.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request)
