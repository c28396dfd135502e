"""The portal's real services: PostgreSQL, Redis (cache and Celery broker) and a Celery worker."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.cache import cache

from portal.celery import app
from tests.paths import ROOT


def test_database_is_postgresql_in_ci(postgres):
    with postgres.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_cache_uses_redis(redis_url):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("udvalgsportalen-test", "æøå", 30)
    assert cache.get("udvalgsportalen-test") == "æøå"
    cache.delete("udvalgsportalen-test")


def test_celery_worker_process_answers_over_redis(redis_url, celery_worker_process):
    assert not app.conf.task_always_eager
    assert app.conf.broker_url == redis_url
    replies = app.control.ping(timeout=5)
    assert any(name.startswith("testworker@") for reply in replies for name in reply)


def test_tasks_run_in_process_without_redis():
    """The embedded default: with no REDIS_URL, tasks run eagerly and nothing needs a broker."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    code = "from portal.celery import app; print(app.conf.task_always_eager, app.conf.broker_url)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "memory://localhost/"], result.stderr
