"""Typed readers for settings that come from the environment.

Each reader accepts `NAME_FILE` as an alternative to `NAME`, so Docker secrets can be mounted as
files instead of being exposed in the process environment.
"""

import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable's value, read from `NAME_FILE` when that is set."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_secret(name: str, *, why: str = "") -> str:
    """Return a value that must be set; refuse to start without it, saying why it is needed."""
    value = env_str(name).strip()
    if not value:
        reason = f" {why}" if why else ""
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set{reason}")
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean written as 1/0, true/false, yes/no or on/off."""
    raw = env_str(name, "1" if default else "0").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    """Return an integer setting."""
    raw = env_str(name, str(default)).strip()
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated list, without blanks."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_networks(name: str, default: str = "") -> list[str]:
    """Return a comma-separated list of addresses or CIDR networks (`10.0.0.0/8`, `::1`)."""
    values = env_list(name, default)
    try:
        return [str(ipaddress.ip_network(value, strict=False)) for value in values]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must list addresses or networks: {exc}") from None
