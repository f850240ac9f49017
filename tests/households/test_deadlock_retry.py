"""A merge or an evidence check that PostgreSQL ends to break a deadlock with another worker
runs again at once, instead of failing and waiting for the periodic retry (a merge and a check of
the same household can take their rows in different orders)."""

import threading
import time
import uuid

import pytest
from django.db import OperationalError, connection, connections, transaction

from backend.households.models import Household
from backend.pipeline import steps
from tests.households.entity_forms import register_xml, send, visit_xml

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a deadlock between two sessions needs PostgreSQL")


# The SQLSTATEs with which PostgreSQL ended this session's transactions in the test.
ENDED_BY_POSTGRES: list[str] = []


@pytest.fixture(autouse=True)
def _fresh_record():
    ENDED_BY_POSTGRES.clear()


def _other_session_crosses_us() -> None:
    """Another session takes lock 2, then waits for lock 1, which this session holds."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(2)")
            time.sleep(0.3)
            cursor.execute("SELECT pg_advisory_xact_lock(1)")
            cursor.execute("COMMIT")
    finally:
        connections["default"].close()


def deadlock_once(monkeypatch, name: str) -> list[threading.Thread]:
    """The first call of steps.<name> meets a real deadlock: it holds lock 1 and waits for lock
    2, held by another session waiting for lock 1. PostgreSQL ends this session's transaction
    (it waited first, so its deadlock check runs first); the other session then goes on."""
    real, crossings = getattr(steps, name), []
    ended = ENDED_BY_POSTGRES

    def crossed(*args, **kwargs):
        if not crossings:
            crossings.append(threading.Thread(target=_other_session_crosses_us))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(1)")
                crossings[0].start()
                time.sleep(0.1)
                try:
                    cursor.execute("SELECT pg_advisory_xact_lock(2)")
                except OperationalError as exc:
                    ended.append(exc.__cause__.sqlstate)
                    raise
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, name, crossed)
    return crossings


def test_a_merge_ended_by_a_deadlock_runs_again(collect, forms, village, monkeypatch):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    crossings = deadlock_once(monkeypatch, "households_merge")

    submission = send(collect, visit_xml(entity_id, 1, size=6))

    crossings[0].join(timeout=10)
    assert ENDED_BY_POSTGRES == ["40P01"]  # deadlock_detected
    submission.refresh_from_db()
    assert (submission.processing_error, submission.processing_attempts) == ("", 0)
    household = Household.objects.get(uuid=entity_id)
    assert (household.version, household.member_count) == (2, 6)


def test_evidence_checks_ended_by_a_deadlock_run_again(collect, forms, village, monkeypatch):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    crossings = deadlock_once(monkeypatch, "evidence_check")

    submission = send(collect, visit_xml(entity_id, 1, size=6))

    crossings[0].join(timeout=10)
    assert ENDED_BY_POSTGRES == ["40P01"]  # deadlock_detected
    submission.refresh_from_db()
    assert submission.processing_error == ""
    assert submission.evidence_checked_at is not None
