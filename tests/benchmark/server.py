"""A production-like portal on this machine for the load and fault scripts: gunicorn, PostgreSQL, Redis.

gunicorn binds a free loopback port (or BENCH_PORT), and the script checks that the server on it is
its own: it answers /bench/token/ with a random token given to it at start (bench_urls.py).
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from common import DATABASES, ROOT

HERE = Path(__file__).resolve().parent
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    """BENCH_PORT if set, else a port the kernel has just found free on 127.0.0.1."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database: str = "postgres", **extra) -> dict:
    var = ROOT / "var" / "bench"
    return dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 48,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASES[database],
        REDIS_URL=REDIS_URL,
        VAR_DIR=str(var),
        MEDIA_ROOT=str(var / "media"),
        # Plain HTTP on loopback: no TLS proxy in front of gunicorn here.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        BEHIND_TLS_PROXY="0",
        LOGIN_FAILURE_LIMIT="1000",
        LOG_LEVEL="WARNING",
        **extra,
    )


def use_server_settings() -> None:
    """Give this process the settings gunicorn and the worker get (sessions must be signed with the same key)."""
    keys = (
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "REDIS_URL",
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "BEHIND_TLS_PROXY",
        "VAR_DIR",
        "MEDIA_ROOT",
    )
    os.environ.update({key: value for key, value in environment().items() if key in keys})


def _answer(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.read().decode()


@contextmanager
def gunicorn(workers: int = 5, database: str = "postgres"):
    """Start gunicorn on a free port; yields its URL once it answers with this run's token."""
    port, token = free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    env = environment(
        database,
        DJANGO_SETTINGS_MODULE="bench_settings",
        BENCH_SERVER_TOKEN=token,
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,  # sync workers: no keep-alive race with the load client
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn did not start on port {port} (is it taken? set BENCH_PORT)")
            try:
                answer = _answer(url + "/bench/token/")
            except OSError:
                answer = None
            if answer == token:
                break
            if answer is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server on port {port} is not this benchmark's own (its token differs)")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def celery_worker():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=environment(),
    )
    try:
        time.sleep(4)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
