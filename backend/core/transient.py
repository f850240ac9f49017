"""Database errors that say "try again", not "this is wrong".

PostgreSQL ends one of two transactions that wait on each other (deadlock detected) and, under
stricter isolation, one that raced another (serialization failure); the same work run again
succeeds. The SQLite of the embedded default reports a busy database the same way.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATE deadlock_detected and serialization_failure.
_RETRY_STATES = frozenset({"40P01", "40001"})
# SQLSTATE lock_not_available and query_canceled: the time limits of request connections
# (DATABASE_LOCK_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS) ran out.
_BUSY_STATES = frozenset({"55P03", "57014"})


def is_transient(exc: BaseException) -> bool:
    """True for an error that running the same transaction again may not meet."""
    if not isinstance(exc, OperationalError):
        return False
    state = getattr(exc.__cause__, "sqlstate", None)
    if state in _RETRY_STATES:
        return True
    return "database is locked" in str(exc)


def is_busy(exc: BaseException) -> bool:
    """True when a request gave up waiting for the database (a locked table, a slow statement):
    the client should come back later, nothing is wrong with what it sent."""
    if not isinstance(exc, OperationalError):
        return False
    return getattr(exc.__cause__, "sqlstate", None) in _BUSY_STATES or is_transient(exc)


def with_retries(work: Callable[[], T], *, attempts: int = 3, pause: float = 0.05) -> T:
    """Run `work` (one whole transaction) again when the database ends it for a transient
    reason; any other error, or the last attempt's, is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as exc:
            if attempt == attempts or not is_transient(exc):
                raise
            logger.warning("transaction ended by the database (%s); running it again", exc)
            time.sleep(pause * attempt)
    raise AssertionError("unreachable")
