"""Typed readers for settings taken from the environment.

A bad value fails loudly at start-up instead of silently falling back (as in healthchecks).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME, or read from the file named by NAME_FILE (a Docker or systemd secret)."""
    path = os.environ.get(f"{name}_FILE", "")
    if path:
        try:
            with open(path, encoding="utf-8") as file:
                return file.read().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error.strerror}") from None
    return os.environ.get(name, "")


def env_mapping(name: str) -> dict[str, str]:
    """ "key=value,key=value" (";" instead of "," when a key holds a comma) as a dict."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    mapping = {}
    for item in raw.split(";" if ";" in raw else ","):
        if not item.strip():
            continue
        key, sep, value = item.rpartition("=")  # a group may hold "=" (a DN), a role never does
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} must be key=value pairs separated by commas, got {item.strip()!r}")
        mapping[key.strip()] = value.strip()
    return mapping
