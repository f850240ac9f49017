"""Login attempts limited per user name and address, counted in the cache (shared by processes)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, ip: str) -> str:
    # Hashed so that any user name (spaces, Chinese) makes a valid cache key.
    raw = f"{username.strip().lower()}|{ip}".encode()
    return "login-attempts:" + hashlib.sha256(raw).hexdigest()


def login_blocked(username: str, ip: str) -> bool:
    """Whether this user name from this address has used up its attempts."""
    return int(cache.get(_key(username, ip), 0)) >= settings.LOGIN_MAX_ATTEMPTS


def login_failed(username: str, ip: str) -> None:
    """Count a failed attempt; the count expires LOGIN_LOCKOUT_SECONDS after the first one."""
    key = _key(username, ip)
    if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
