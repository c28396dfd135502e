"""/healthz and /readyz: no login, no allowed host, no HTTPS needed; ok/fail per check and nothing else.

The Redis test starts its own redis-server on a free port (and its own Celery worker on it) and
stops and starts that one: the shared Redis is never touched.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.paths import ROOT

REDIS_SERVER = shutil.which("redis-server")


def body(response):
    return json.loads(response.content)


@pytest.fixture
def blackhole():
    """A TCP port that accepts connections and never answers (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_ok_without_login_allowed_host_or_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.20.30.40")  # a probe by the container's address
    assert response.status_code == 200
    assert body(response) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_readyz_embedded_is_ready_with_the_database_alone(client, settings, db):
    settings.REDIS_URL = ""
    response = client.get("/readyz", HTTP_HOST="10.20.30.40")
    assert response.status_code == 200
    assert body(response) == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not required", "worker": "not required"},
    }


def test_readyz_refuses_other_methods(client):
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


def test_readyz_is_not_ready_when_redis_hangs_and_answers_within_the_timeout(client, settings, db, blackhole):
    settings.REDIS_URL = f"redis://127.0.0.1:{blackhole}/0"
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert body(response) == {"status": "fail", "checks": {"database": "ok", "redis": "fail", "worker": "fail"}}
    assert elapsed < 2.5, f"/readyz took {elapsed:.1f} s"


def test_readyz_is_not_ready_when_the_database_hangs_and_answers_within_the_timeout(blackhole, tmp_path):
    """A separate process, whose DATABASE_URL points at a server that never answers."""
    script = (
        "import json, time, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "started = time.monotonic()\n"
        "response = Client().get('/readyz')\n"
        "print(json.dumps({'status': response.status_code, 'body': json.loads(response.content), 'elapsed': time.monotonic() - started}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=f"postgres://portal@127.0.0.1:{blackhole}/portal",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"] == {
        "status": "fail",
        "checks": {"database": "fail", "redis": "not required", "worker": "not required"},
    }
    assert answer["elapsed"] < 2.5, answer


class RedisServer:
    """A redis-server of this test's own, on a free port, that the test stops and starts."""

    def __init__(self, directory: Path):
        self.port, self.directory, self.process = free_port(), directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("redis-server startede ikke")
            time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if REDIS_SERVER is None:
        message = "redis-server findes ikke på maskinen"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def own_worker(own_redis, tmp_path):
    """A Celery worker on the test's own Redis (it runs no task here; it answers pings)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(REDIS_URL=own_redis.url, VAR_DIR=str(tmp_path))
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
            "--hostname=healthworker@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def wait_for(client, status, seconds):
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/readyz")
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_readyz_goes_red_when_redis_stops_and_green_when_it_returns(client, settings, db, own_redis, own_worker):
    settings.REDIS_URL = own_redis.url
    response = wait_for(client, 200, 30)  # the worker starts
    assert response.status_code == 200, body(response)
    assert body(response) == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "worker": "ok"}}

    own_redis.stop()
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 2.5
    assert response.status_code == 503
    assert body(response) == {"status": "fail", "checks": {"database": "ok", "redis": "fail", "worker": "fail"}}

    own_redis.start()
    response = wait_for(client, 200, 60)  # the worker reconnects to the broker
    assert response.status_code == 200, body(response)
    assert body(response)["checks"] == {"database": "ok", "redis": "ok", "worker": "ok"}
