"""Shared fixtures: the seed data, and one persona per role (as healthchecks' alice/bob/charlie)."""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from portal.roles import Role

IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "Test-adgangskode-1"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed data once into the test database; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_seed_data", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashes passwords slowly on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def portal_language():
    """Each test starts in Danish: a request for an English page leaves English active on the thread,
    which a later test that calls a service directly would otherwise inherit."""
    from django.utils import translation

    translation.activate("da")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page cached by one test is no answer in another's database."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests run on a flushed database: bring back the groups (the three roles and the data
    owners', all made by migrations) and the seed data."""
    from portal.roles import DATA_OWNER_GROUP

    for name in [role.group_name for role in Role] + [DATA_OWNER_GROUP]:
        Group.objects.get_or_create(name=name)
    call_command("load_seed_data", verbosity=0)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _make_user(username: str, role: Role | None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title())
    if role is not None:
        user.groups.add(Group.objects.get(name=role.group_name))
    return user


@pytest.fixture
def member(db):
    return _make_user("medlem", Role.MEMBER)


@pytest.fixture
def caseworker(db):
    return _make_user("sagsbehandler", Role.CASEWORKER)


@pytest.fixture
def administrator(db):
    return _make_user("administrator", Role.ADMINISTRATOR)


@pytest.fixture
def data_owner(db):
    """Dataansvarlig and no role: enters the figures of the indicators they own (plans.collection)."""
    from portal.roles import DATA_OWNER_GROUP

    user = _make_user("dataansvarlig", None)
    user.email = "dataansvarlig@norddjurs.dk"
    user.save()
    user.groups.add(Group.objects.get(name=DATA_OWNER_GROUP))
    return user


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role."""
    return _make_user("udenfor", None)


@pytest.fixture
def plan_2024(db):
    """The seeded plan: the committee's Beskæftigelsesplan 2024."""
    from plans.models import Plan

    return Plan.objects.get(year=2024)


@pytest.fixture
def east_jutland(db):
    """A comparison group for the benchmark: four neighbours of Norddjurs."""
    from plans.models import ComparisonGroup

    return ComparisonGroup.objects.create(name="Østjylland", areas=["Syddjurs", "Favrskov", "Randers", "Skanderborg"])


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for this test, as the embedded mode does, even where REDIS_URL is set."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _require_service(env_name: str, what: str) -> str:
    url = os.environ.get(env_name, "")
    if not url:
        message = f"{env_name} er ikke sat: testen kræver {what}. Den køres i CI (.ci/run)."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def redis_url():
    """A test that needs Redis: skipped locally with a reason, a failure in CI."""
    return _require_service("REDIS_URL", "en Redis-server")


@pytest.fixture
def postgres(db):
    """A test that needs PostgreSQL: skipped locally with a reason, a failure in CI."""
    from django.db import connection

    _require_service("DATABASE_URL", "PostgreSQL")
    if connection.vendor != "postgresql":
        pytest.fail(f"DATABASE_URL peger på {connection.vendor}, ikke PostgreSQL.")
    return connection


@pytest.fixture
def celery_worker_process(request, redis_url, transactional_db):
    """A real `celery worker` process on Redis, using the test database; the solo pool, or the
    production's prefork pool with `@pytest.mark.parametrize("celery_worker_process", ["prefork"], indirect=True)`.

    Needs transactional_db: the worker is another process, so it only sees committed rows.
    """
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    from portal.celery import app

    db = connection.settings_dict
    from django.conf import settings

    env = dict(os.environ, REDIS_URL=redis_url, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        pytest.fail("Celery-workertesten kræver PostgreSQL (DATABASE_URL), ikke SQLite i hukommelsen.")
    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            f"--pool={getattr(request, 'param', 'solo')}",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--hostname=testworker@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Celery-workeren startede ikke.")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def oidc_provider():
    """The test suite's own OpenID provider (tests/support/oidc_provider.py) on a free port."""
    from tests.support.oidc_provider import Provider

    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on on, against the test provider, found through OIDC_ISSUER (discovery)."""
    from portal.roles import parse_group_roles
    from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, GROUP_ROLES

    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = oidc_provider.url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_GROUP_ROLES = parse_group_roles(GROUP_ROLES)
    settings.OIDC_ACCESS_CONTACT = "Arbejdsmarkedsafdelingens IT-koordinator"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "portal.oidc.OIDCBackend"]
    return oidc_provider
