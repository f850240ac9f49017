"""A transaction the database ends for a transient reason runs again; others are raised."""

import pytest
from django.db import OperationalError

from backend.core.transient import connection_lost, is_transient, with_retries


class _Cause(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _error(sqlstate: str | None) -> OperationalError:
    error = OperationalError("deadlock detected" if sqlstate == "40P01" else "other")
    error.__cause__ = _Cause(sqlstate)
    return error


def test_deadlock_and_serialization_failures_are_transient():
    assert is_transient(_error("40P01"))
    assert is_transient(_error("40001"))
    assert is_transient(OperationalError("database is locked"))


def test_other_errors_are_not():
    assert not is_transient(_error("57014"))  # statement timeout: the work itself is too slow
    assert not is_transient(ValueError("x"))


def test_a_deadlock_victim_runs_again_and_succeeds():
    calls = []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _error("40P01")
        return "done"

    assert with_retries(work, pause=0) == "done"
    assert len(calls) == 3


def test_the_last_attempt_raises():
    def work() -> None:
        raise _error("40P01")

    with pytest.raises(OperationalError):
        with_retries(work, attempts=2, pause=0)


def test_other_errors_are_raised_at_once():
    calls = []

    def work() -> None:
        calls.append(1)
        raise _error("23505")

    with pytest.raises(OperationalError):
        with_retries(work, pause=0)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "sqlstate",
    [
        "57P01",  # terminated by an administrator (pg_terminate_backend)
        "57P02",  # the server crashed
        "08006",  # connection failure
        None,  # the client found the connection closed or reset
    ],
)
def test_a_lost_connection_is_told_from_a_failure_of_the_work(sqlstate):
    assert connection_lost(_error(sqlstate))


def test_errors_of_the_work_are_no_lost_connection():
    assert not connection_lost(_error("40P01"))
    assert not connection_lost(_error("57014"))
    assert not connection_lost(OperationalError("database is locked"))  # SQLite: no SQLSTATE
    assert not connection_lost(ValueError("x"))
