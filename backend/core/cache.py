"""Short-lived caching of what every OpenRosa request would otherwise read again.

A phone authenticates and names its form on every request; reading the same token and form rows
thousands of times a minute is most of a request's cost. Entries are keyed so that a change makes
them unreachable at once in every process sharing the cache (a generation per project, bumped by
the services that change forms; a token's own key, deleted when it is revoked). The time-to-live
bounds staleness where nothing is bumped (a user deactivated in the admin) and where processes do
not share a cache (docs/configuration.md#cache).
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from threading import Lock
from typing import TypeVar, cast
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")
_MISSING = object()
# Generations read in this process: {scope: (value, monotonic time it was read)}.
_generations: dict[str, tuple[str, float]] = {}


def cached(
    key: str, compute: Callable[[], T], *, seconds: int | None = None, in_process: bool = False
) -> T:
    """The value under `key`, computed and stored when absent (None is a value too).

    `in_process`: also kept in this process for GENERATION_REUSE_SECONDS, for keys built on a
    generation: such a key names one value for as long as it lives, so a busy process saves the
    shared cache's round trip (a third of a cached phone request's CPU) on all but one request a
    second, and nothing is seen later than the generation itself is (the shared copy's time to
    live, plus that second, bounds what no bump announces).
    """
    ttl = settings.SYNC_CACHE_SECONDS if seconds is None else seconds
    if in_process:
        return _kept_here(
            key, lambda: cached(key, compute, seconds=ttl), settings.GENERATION_REUSE_SECONDS
        )
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, ttl)
    return cast(T, value)


# Values kept in this process: {key: (value, time it expires)}, least recently used
# first; at most _KEPT_HERE of them (rendered form lists, village lists, tokens: kilobytes each).
_here: "OrderedDict[str, tuple[object, float]]" = OrderedDict()
_here_lock = Lock()  # granian runs several threads per process
_KEPT_HERE = 2048


def _kept_here(key: str, compute: Callable[[], T], seconds: int) -> T:
    now = time.time()  # the shared cache's clock
    with _here_lock:
        found = _here.get(key)
        if found is not None and found[1] > now:
            _here.move_to_end(key)
            return cast(T, found[0])
    value = compute()
    with _here_lock:
        _here[key] = (value, now + seconds)
        _here.move_to_end(key)
        while len(_here) > _KEPT_HERE:
            _here.popitem(last=False)
    return value


def cached_on_generation(scope: str, key: str, compute: Callable[[], T]) -> T:
    """A value computed from rows that change rarely (a project's rules, its income lines, an
    area's ancestry), kept in this process under the scope's generation as it is now.

    The generation is read from the shared cache on every call (one round trip, where the rows
    would cost a query and its compilation): a task that rechecks households just after a rule
    changed must apply the new rule, not one a second old. A reader inside the transaction that
    changed the scope reads the rows themselves: what it saw must not outlive a rollback. Rows
    changed without a bump (a bulk update, SQL by hand) are seen after SYNC_CACHE_SECONDS.
    """
    if _bump_pending(scope):
        return compute()
    current = cache.get(f"generation:{scope}") or generation(scope)
    return _kept_here(f"{key}:{current}", compute, settings.SYNC_CACHE_SECONDS)


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


def bump_with_transaction(scope: str) -> None:
    """A write in the current transaction changed what keys on the scope's generation name:
    bump now, for a reader in the same transaction, and once it commits, for a reader who
    computed a value from the rows as they were in between. The bump at the commit is registered
    once per transaction and scope, however many writes ask (an import of thousands of
    households bumps once at its end)."""
    bump(scope)
    if not _bump_pending(scope):
        transaction.on_commit(partial(bump, scope))


def _bump_pending(scope: str) -> bool:
    # Django keeps what runs at the commit as (savepoint ids, callable, robust), and drops the
    # entries of a savepoint rolled back with it.
    calls = (entry[1] for entry in connection.run_on_commit)
    return any(
        isinstance(call, partial) and call.func is bump and call.args == (scope,) for call in calls
    )


def forget_generations() -> None:
    """Drop what this process remembers (tests clear the cache between cases)."""
    _generations.clear()
    with _here_lock:
        _here.clear()
