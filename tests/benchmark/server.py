"""A production-like portal on this machine for the load and fault scripts: gunicorn, PostgreSQL, Redis."""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from common import DATABASES, ROOT

PORT = 8100
URL = f"http://127.0.0.1:{PORT}"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def environment(**extra) -> dict:
    var = ROOT / "var" / "bench"
    return dict(
        os.environ, DEBUG="0", SECRET_KEY="bench-only-" + "x" * 48, ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASES["postgres"], REDIS_URL=REDIS_URL, VAR_DIR=str(var), MEDIA_ROOT=str(var / "media"),
        # Plain HTTP on loopback: no TLS proxy in front of gunicorn here.
        SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", BEHIND_TLS_PROXY="0", LOGIN_FAILURE_LIMIT="1000", LOG_LEVEL="WARNING",
        **extra,
    )  # fmt: skip


def use_server_settings() -> None:
    """Give this process the settings gunicorn and the worker get (sessions must be signed with the same key)."""
    keys = ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "BEHIND_TLS_PROXY",
            "VAR_DIR", "MEDIA_ROOT")  # fmt: skip
    os.environ.update({key: value for key, value in environment().items() if key in keys})


@contextmanager
def gunicorn(workers: int = 5):
    env = environment()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers),
         "--log-level", "warning"], cwd=ROOT, env=env,  # sync workers: no keep-alive race with the load client
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(URL + "/log-ind/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield URL
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def celery_worker():
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=WARNING", "--without-mingle",
         "--without-gossip"], cwd=ROOT, env=environment(),
    )  # fmt: skip
    try:
        time.sleep(4)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
