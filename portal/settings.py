"""Settings for Udvalgsportalen, all read from the environment (see docs/operations.md, "Environment variables").

Without any environment the portal runs as a development install: DEBUG on, SQLite under
var/, Celery tasks executed in-process. Production sets DEBUG=0, SECRET_KEY, DATABASE_URL and
REDIS_URL (docker-compose.yml shows the full set).
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_mapping, env_secret, env_str
from portal.roles import parse_group_roles

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-udvalgsportalen-development-only"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # Django's page is English only

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "portal",
    "plans",
    "investments",
    "events",
]

MIDDLEWARE = [
    # /healthz and /readyz for the load balancer: answered before the host check, HTTPS and login.
    "portal.health.HealthCheckMiddleware",
    # One structured line per request (portal.logging).
    "portal.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change that django-simple-history keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.demo_data",
            ],
        },
    },
]

# The municipality whose figures the portal follows, as jobindsats.dk names areas.
PORTAL_AREA = env_str("PORTAL_AREA", "Norddjurs")

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            # Imports write in one transaction; wait for it instead of failing with "locked".
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery -----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Redis out of reach (refused, or silent: a frozen server, a partition) must cost a request a second at
# most, not hang it: for the cache, and for Celery's publish (below).
REDIS_TIMEOUT_SECONDS = env_int("REDIS_TIMEOUT_SECONDS", 1)
# After a failed cache operation the process leaves Redis alone this long (portal.redis_cache's breaker).
CACHE_BREAKER_SECONDS = env_int("CACHE_BREAKER_SECONDS", 30)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",  # Django's, stepping aside when Redis is out of reach
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without Redis the portal still works: tasks run in-process when they are queued.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Copenhagen"
# The portal keeps each job's state in its own records (DataImport), never in Celery results; not
# touching the result store also keeps an upload from hanging ~20 s on its reconnect loop when Redis is down.
CELERY_TASK_IGNORE_RESULT = True
# An upload while Redis is down must not hang the request: give up queueing quickly. The import
# stays "i kø" and beat queues it again (plans.imports.tasks.requeue_waiting_imports). Without socket
# timeouts a publish to a Redis that accepts connections but never answers waits forever; with them
# it costs at most two timeouts (the retry covers a connection that went stale while Redis restarted).
# The worker's BRPOP is read when the socket is readable, so these timeouts do not cut its waiting.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE = {
    # Data grows old while nobody uploads: re-evaluate every goal each night.
    "refresh-goal-statuses": {"task": "plans.tasks.refresh_statuses", "schedule": crontab(hour=2, minute=30)},
    # Uploads made while Redis was down, or whose worker died (its lease ran out), are queued again.
    "requeue-waiting-imports": {"task": "plans.imports.tasks.requeue_waiting_imports", "schedule": 60.0},
    # Citizens' names and contact details are deleted when the fair no longer needs them.
    "delete-expired-personal-data": {
        "task": "events.tasks.delete_expired_personal_data",
        "schedule": crontab(hour=3, minute=15),
    },
    # Refused pool applicants' contact data and files are deleted POOL_PERSONAL_DATA_MONTHS after the refusal.
    "delete-refused-pool-personal-data": {
        "task": "investments.pool.tasks.delete_refused_personal_data",
        "schedule": crontab(hour=3, minute=25),
    },
    # Data owners are reminded of missing local figures before and after the due date (plans.collection).
    "send-collection-reminders": {
        "task": "plans.collection.tasks.send_collection_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # "Nyt siden sidst" by e-mail: each subscriber's week or half-year report, at most once (portal.digest).
    "send-digests": {"task": "portal.digest.tasks.send_digests", "schedule": crontab(hour=7, minute=45)},
    # New figures from the Jobindsats API, when a key is set (plans.imports.fetching).
    "fetch-jobindsats": {
        "task": "plans.imports.fetch_tasks.fetch_jobindsats",
        "schedule": crontab(hour=env_int("JOBINDSATS_FETCH_HOUR", 6), minute=env_int("JOBINDSATS_FETCH_MINUTE", 15)),
    },
}
FAIR_PERSONAL_DATA_DAYS = env_int("FAIR_PERSONAL_DATA_DAYS", 30)
POOL_PERSONAL_DATA_MONTHS = env_int("POOL_PERSONAL_DATA_MONTHS", 6)

# --- Authentication and sessions -------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a username/address is locked out
    "portal.auth.ModelBackend",  # Django's, reading the logged-in user through the cache
]
# Password guessing: 5 failures for a username from one address lock it for 15 minutes, and six
# times as many from one address, across all usernames, lock that address (portal.throttle).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 6 * AXES_FAILURE_LIMIT)
AXES_HANDLER = "portal.throttle.AddressLimitHandler"
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind the TLS proxy every request comes from the proxy's address, so one guesser would lock a
# user out for everyone: with TRUSTED_PROXY_COUNT proxies the client's address is read from
# X-Forwarded-For (portal.proxy), its port stripped; an entry that is no address is throttled as one
# hostile client, never as the proxy. 0 (no proxy) ignores that header, which a client could forge.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.proxy.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions are read from the cache (Redis) and written through to the database: no query per request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DEMO_USERS = env_bool("DEMO_USERS", DEBUG)

# --- Single sign-on (OpenID Connect; portal/oidc.py) -------------------------------------------
# On when OIDC_CLIENT_ID is set. The identity provider is found through OIDC_ISSUER (its discovery
# document) or the explicit OIDC_*_ENDPOINT settings. Its groups claim maps to the roles through
# OIDC_GROUP_ROLES ("group=Udvalgsmedlem,group=Sagsbehandler,…"); a user in no mapped group is not
# logged in and gets a page naming OIDC_ACCESS_CONTACT. Register <portal>/sso/callback/ as the
# redirect URI at the provider. LOCAL_LOGIN=0 switches the username/password form off.
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_secret("OIDC_CLIENT_SECRET")
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_ROLES = parse_group_roles(env_mapping("OIDC_GROUP_ROLES"))
OIDC_ACCESS_CONTACT = env_str("OIDC_ACCESS_CONTACT")  # whom a user without a role asks
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds for each call to the provider, in all (portal.oidc)
OIDC_DISCOVERY_RETRY_SECONDS = env_int("OIDC_DISCOVERY_RETRY_SECONDS", 60)  # a failed discovery is not retried sooner
# HS256 and its kind check the ID token with the client secret, so whoever holds the secret can make tokens.
OIDC_ALLOW_SYMMETRIC_SIGN_ALGO = env_bool("OIDC_ALLOW_SYMMETRIC_SIGN_ALGO", False)
_OIDC_ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
_OIDC_SYMMETRIC = ("HS256", "HS384", "HS512")
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
if OIDC_ENABLED:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_CLIENT_SECRET (or OIDC_CLIENT_SECRET_FILE) must be set with OIDC_CLIENT_ID.")
    if not OIDC_ISSUER and not (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT):
        raise ImproperlyConfigured(
            "Set OIDC_ISSUER, or OIDC_AUTHORIZATION_ENDPOINT, OIDC_TOKEN_ENDPOINT and OIDC_JWKS_ENDPOINT."
        )
    if not OIDC_GROUP_ROLES:
        raise ImproperlyConfigured("OIDC_GROUP_ROLES must map at least one of the provider's groups to a role.")
    if OIDC_RP_SIGN_ALGO.casefold() == "none":
        raise ImproperlyConfigured(
            "OIDC_SIGN_ALGO=none would accept ID tokens without a signature: anyone could log in as anyone. "
            "Use RS256 (the default) or another algorithm the provider signs with its own key."
        )
    if OIDC_RP_SIGN_ALGO in _OIDC_SYMMETRIC and not OIDC_ALLOW_SYMMETRIC_SIGN_ALGO:
        raise ImproperlyConfigured(
            f"OIDC_SIGN_ALGO={OIDC_RP_SIGN_ALGO} checks ID tokens with the client secret, so anyone who holds the "
            "secret can make one. Use RS256 (the default); if the provider signs no other way, set "
            "OIDC_ALLOW_SYMMETRIC_SIGN_ALGO=1 and keep the secret as a file (OIDC_CLIENT_SECRET_FILE)."
        )
    if OIDC_RP_SIGN_ALGO not in (*_OIDC_ASYMMETRIC, *_OIDC_SYMMETRIC):
        raise ImproperlyConfigured(
            f"OIDC_SIGN_ALGO={OIDC_RP_SIGN_ALGO!r} is not one of {', '.join(_OIDC_ASYMMETRIC + _OIDC_SYMMETRIC)}."
        )
    if not DEBUG:
        for _name, _url in {
            "OIDC_ISSUER": OIDC_ISSUER,
            "OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items():
            if _url and not _url.casefold().startswith("https://"):
                raise ImproperlyConfigured(
                    f"{_name} must be an https:// address when DEBUG=0 (it is {_url}): the login's code, tokens "
                    "and client secret would cross the network unencrypted."
                )
if not LOCAL_LOGIN:
    if not OIDC_ENABLED:
        raise ImproperlyConfigured("LOCAL_LOGIN=0 needs single sign-on (OIDC_CLIENT_ID); nobody could log in.")
    AUTHENTICATION_BACKENDS = []
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "portal.oidc.OIDCBackend"]
# An SSO login is not a password guess: django-axes neither counts nor blocks it.
AXES_WHITELIST_CALLABLE = "portal.oidc.is_sso_callback"

# --- Language, time and formats --------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]  # dates per language: templates name a format, never a Danish pattern
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# plotly.js is the basic bundle (scatter, bar) vendored in static/vendor/plotly/, not the full
# 4.8 MB bundle that the plotly package ships. Production serves every file compressed (below).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # not served: uploads are only read by the import
# Extracts and meeting documents are for the portal's own user only, whatever the umask.
FILE_UPLOAD_PERMISSIONS, FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o600, 0o700

# Data import: the largest upload, and how far an XLSX (a zip archive) may unpack.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 50) * 1024 * 1024
IMPORT_MAX_XLSX_UNPACKED_BYTES = env_int("IMPORT_MAX_XLSX_UNPACKED_MB", 500) * 1024 * 1024
# Every import ends (plans.imports.tasks.run_import): after IMPORT_TIME_LIMIT_SECONDS it is marked
# fejlet, 60 s later its worker process is killed; a file that kills its worker is tried at most
# IMPORT_MAX_ATTEMPTS times. Bounded work before reading (plans.imports.reading): columns, cells.
IMPORT_TIME_LIMIT_SECONDS = env_int("IMPORT_TIME_LIMIT_SECONDS", 600)
IMPORT_HARD_TIME_LIMIT_SECONDS = IMPORT_TIME_LIMIT_SECONDS + 60
IMPORT_MAX_ATTEMPTS = env_int("IMPORT_MAX_ATTEMPTS", 3)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 6_000_000)
IMPORT_MAX_XLSX_CELLS = env_int("IMPORT_MAX_XLSX_CELLS", 5_000_000)
# Each import reads in a child process whose memory may grow by at most this (portal.bounded).
IMPORT_MAX_MEMORY_MB = env_int("IMPORT_MAX_MEMORY_MB", 1024)
# The Jobindsats API (plans.imports.jobindsats). The key is read from JOBINDSATS_API_KEY or the file
# named by JOBINDSATS_API_KEY_FILE when a fetch starts; it is deliberately not a setting.
JOBINDSATS_API_URL = env_str("JOBINDSATS_API_URL", "https://api.jobindsats.dk/v3").rstrip("/")
JOBINDSATS_TIMEOUT_SECONDS = env_int("JOBINDSATS_TIMEOUT_SECONDS", 60)  # each attempt in all, not each read
# A running fetch renews its lock; a killed one's lock runs out after this (plans.imports.fetching.Lease).
JOBINDSATS_LOCK_SECONDS = env_int("JOBINDSATS_LOCK_SECONDS", 120)
JOBINDSATS_RETRIES = env_int("JOBINDSATS_RETRIES", 3)  # after the first attempt, for 429, 5xx, timeouts
JOBINDSATS_BACKOFF_SECONDS = env_int("JOBINDSATS_BACKOFF_SECONDS", 5)  # doubled on each retry, at most 60 s
JOBINDSATS_REVISED_PERIODS = env_int("JOBINDSATS_REVISED_PERIODS", 4)  # the newest periods, asked for again
JOBINDSATS_HISTORY_YEARS = env_int("JOBINDSATS_HISTORY_YEARS", 3)  # how far back missing periods are fetched
JOBINDSATS_PERIODS_PER_REQUEST = env_int("JOBINDSATS_PERIODS_PER_REQUEST", 12)

# One request: files stream to disk and do not count against DATA_UPLOAD_MAX_MEMORY_SIZE (each is
# limited by IMPORT_MAX_BYTES); that limit is for ordinary form fields, read into memory. Beyond
# either limit the portal answers with a Danish 400/413 page (portal.views.bad_request).
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("UPLOAD_MAX_FILES", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FORM_MAX_MB", 2) * 1024 * 1024

# --- E-mail (failed fetches from the Jobindsats API are mailed to the administrators) -------
# Without EMAIL_HOST, mails (password-set links among them) go to stdout only with DEBUG; in production
# to files under EMAIL_FILE_PATH readable by the portal's user only (portal.mail): stdout is the web log.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "portal.mail.PrivateFileBackend",
)
if not DEBUG and EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    raise ImproperlyConfigured(
        "EMAIL_BACKEND=console writes password-set links to the log; with DEBUG=0 set EMAIL_HOST "
        "or leave EMAIL_BACKEND unset (mails then go to files under EMAIL_FILE_PATH, mode 0600)."
    )
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "udvalgsportalen@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Udvalgsportalen] "

# --- Security (production) -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the portal's own files may run or load; plotly.js adds <style> elements, hence inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Off only for load tests over plain HTTP on this machine (tests/benchmark/bench_load.py).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", True):
        # gunicorn runs behind a TLS-terminating proxy that sets this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logs --------------------------------------------------------------------------------------
# One line per request and per task (portal.logging), as JSON with LOG_FORMAT=json, with ids but no
# names or other personal data. Celery's worker logs through the same handler (no hijacking), and
# its own per-task lines are left out so that each task is one line.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'plain' or 'json', got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "portal.logging.KeyValueFormatter"},
        "json": {"()": "portal.logging.JsonFormatter"},
    },
    # Secrets in paths (the calendar token, the password-set token) are masked wherever a path is logged.
    "filters": {"secret_paths": {"()": "portal.logging.MaskSecretPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["secret_paths"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["secret_paths"]},
        "django.server": {"filters": ["secret_paths"]},
        "django.db.backends": {"level": "INFO"},
        # django-axes writes usernames and addresses at INFO for every login; lockouts stay (WARNING).
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # WeasyPrint (the report as PDF) logs each layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# /readyz: seconds each check may take (at most 2).
HEALTH_TIMEOUT = 2.0

# --- Backups (manage.py backup / restore; portal/backup.py) ------------------------------------
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)  # the newest backups kept in BACKUP_DIR; 0 keeps all
BACKUP_ENCRYPTION_KEY = env_secret("BACKUP_ENCRYPTION_KEY")  # a Fernet key; unset: backups are not encrypted
