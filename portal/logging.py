"""Structured logs: one line per request and one per Celery task, as JSON when LOG_FORMAT=json.

A request line holds the method, the path (never the query string; a calendar token in the path is
replaced by "***"), the status, the duration and the user's id (never the name). A task line holds
the task's name, id, state and duration (never its arguments or result). Neither holds personal
data: names, phone numbers and e-mail addresses of citizens are only in form bodies and task
arguments, which are never logged.
"""

import json
import logging
import re
import threading
import time
from datetime import UTC, datetime

from celery import signals

request_log = logging.getLogger("portal.request")
task_log = logging.getLogger("portal.task")

# URL parts that are secrets (the personal calendar address); replaced in the logged path.
SECRET_URL_KWARGS = {"token"}
# The same secrets in any log line (Django's "Not Found: <path>" warning, runserver's lines): the
# calendar feed's token, the password-set link's and the unsubscribe link's, as their URL patterns place them.
SECRET_PATHS = [
    (re.compile(r"(/kalender/)[^/\s?#\"']+(\.ics)"), r"\1***\2"),
    (re.compile(r"(/adgangskode/[^/\s?#\"']+/)[^/\s?#\"']+"), r"\1***"),
    (re.compile(r"(/nyt/afmeld/)[^/\s?#\"']+"), r"\1***"),  # the digest's unsubscribe link (portal.digest)
]


def mask_secrets(text: str) -> str:
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecretPaths(logging.Filter):
    """Masks SECRET_PATHS in a record's message and arguments (on the loggers that log paths and the handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_secrets(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: mask_secrets(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
# Django's own records carry the request object, whose text holds the query string: left out.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName", "request"}


def _fields(record: logging.LogRecord) -> dict:
    return {key: value for key, value in vars(record).items() if key not in _STANDARD and not key.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """The plain format: time, level, logger, message, then the record's fields as key=value."""

    def __init__(self, *args, **kwargs):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _fields(record)
        if not fields:
            return line
        head, newline, rest = line.partition("\n")  # a traceback goes below the fields
        pairs = " ".join(f"{key}={value}" for key, value in fields.items())
        return f"{head} {pairs}{newline}{rest}"


def _logged_path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_KWARGS & set(match.kwargs):
            path = path.replace(str(match.kwargs[name]), "***")
    return mask_secrets(path)


class RequestLogMiddleware:
    """Writes one line per request, after the response (outermost but for the health checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "event": "request",
                "method": request.method,
                "path": _logged_path(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


# --- Celery tasks: one line when a task ends (success, failure or retry) ---------------------------
_started: dict[str, float] = {}
_lock = threading.Lock()


@signals.task_prerun.connect(weak=False)
def _task_started(task_id=None, **kwargs):
    with _lock:
        _started[task_id] = time.perf_counter()


@signals.task_postrun.connect(weak=False)
def _task_ended(task_id=None, task=None, state=None, **kwargs):
    with _lock:
        started = _started.pop(task_id, None)
    task_log.info(
        "task",
        extra={
            "event": "task",
            "task": getattr(task, "name", None),
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started is not None else None,
        },
    )
