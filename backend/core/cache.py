"""Short-lived caching of what every OpenRosa request would otherwise read again.

A phone authenticates and names its form on every request; reading the same token and form rows
thousands of times a minute is most of a request's cost. Entries are keyed so that a change makes
them unreachable at once in every process sharing the cache (a generation per project, bumped by
the services that change forms; a token's own key, deleted when it is revoked). The time-to-live
bounds staleness where nothing is bumped (a user deactivated in the admin) and where processes do
not share a cache (docs/configuration.md#cache).
"""

import time
from collections.abc import Callable
from typing import TypeVar, cast
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")
_MISSING = object()
# Generations read in this process: {scope: (value, monotonic time it was read)}.
_generations: dict[str, tuple[str, float]] = {}


def cached(key: str, compute: Callable[[], T], *, seconds: int | None = None) -> T:
    """The value under `key`, computed and stored when absent (None is a value too)."""
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, settings.SYNC_CACHE_SECONDS if seconds is None else seconds)
    return cast(T, value)


def forget(key: str) -> None:
    cache.delete(key)


def generation(scope: str) -> str:
    """The current generation of a scope; keys built on it go stale when it is bumped.

    Every OpenRosa request asks for one, so each process reuses what it read for
    GENERATION_REUSE_SECONDS (1): another process's bump is seen that much later, this
    process's own at once. Forms only: a device token's revocation never waits on this.
    """
    now = time.monotonic()
    known = _generations.get(scope)
    if known is not None and now - known[1] < settings.GENERATION_REUSE_SECONDS:
        return known[0]
    key = f"generation:{scope}"
    value: str | None = cache.get(key)
    if value is None:
        value = uuid4().hex
        # add(): when two processes start a generation at once, both end up using the first.
        if not cache.add(key, value, None):
            value = cache.get(key) or value
    _generations[scope] = (value, now)
    return value


def bump(scope: str) -> None:
    """Make every key built on the scope's generation unreachable."""
    value = uuid4().hex
    cache.set(f"generation:{scope}", value, None)
    _generations[scope] = (value, time.monotonic())


def forget_generations() -> None:
    """Drop what this process remembers (tests clear the cache between cases)."""
    _generations.clear()
