"""Database errors that say "try again", not "this is wrong".

PostgreSQL ends one of two transactions that wait on each other (deadlock detected) and, under
stricter isolation, one that raced another (serialization failure); the same work run again
succeeds. The SQLite of the embedded default reports a busy database the same way. A connection
can also be lost under the work (ended by an administrator or a failover, the server restarted):
work that is safe to run again then runs again on a new connection.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATE deadlock_detected and serialization_failure.
_RETRY_STATES = frozenset({"40P01", "40001"})
# SQLSTATE admin_shutdown, crash_shutdown, cannot_connect_now (class 08, connection_exception,
# too): the session is gone, whatever it was doing.
_LOST_STATES = frozenset({"57P01", "57P02", "57P03"})
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
    reason; any other error, or the last attempt's, is raised. Inside an outer transaction the
    error is raised at once: the database ended that transaction too, so only its owner can run
    it again."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as exc:
            if attempt == attempts or not is_transient(exc) or connection.in_atomic_block:
                raise
            logger.warning("transaction ended by the database (%s); running it again", exc)
            time.sleep(pause * attempt)
    raise AssertionError("unreachable")


def connection_lost(exc: BaseException) -> bool:
    """True when the error says the database connection was lost, not that the work failed:
    PostgreSQL ended the session (an administrator, a failover, a shutdown), or the client found
    the connection gone (closed, reset: no SQLSTATE then)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    cause = exc.__cause__
    if cause is None or not hasattr(cause, "sqlstate"):
        return False  # not PostgreSQL's (SQLite's busy database is is_transient's)
    state = cause.sqlstate
    return state is None or state in _LOST_STATES or state.startswith("08")


def with_reconnect(work: Callable[[], T], *, attempts: int = 3, pause: float = 0.5) -> T:
    """Run `work`, which must be safe to run again, once more on a new connection when the
    database connection was lost under it; any other error, or the last attempt's, is raised.
    Outside a transaction only: a lost connection ends the transaction around it too."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (OperationalError, InterfaceError) as exc:
            if attempt == attempts or not connection_lost(exc):
                raise
            logger.warning("database connection lost (%s); running it again", exc)
            connection.close()
            time.sleep(pause * attempt)
    raise AssertionError("unreachable")
