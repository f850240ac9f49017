"""A merge or an evidence check whose database connection is lost under it (ended by an
administrator or a failover, the server restarted) runs again on a new connection, instead of
failing and waiting for the periodic retry while its visit stays off the household's record."""

import uuid

import pytest
from django.db import connection

from backend.households.models import Household
from backend.pipeline import steps
from tests.households.entity_forms import register_xml, send, visit_xml

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("ending a session's own connection needs PostgreSQL")


def lose_connection_once(monkeypatch, name: str) -> list[int]:
    """The first call of steps.<name> ends its own database connection, as
    pg_terminate_backend from another session would; later calls run as they are."""
    real, calls = getattr(steps, name), []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, name, flaky)
    return calls


def test_a_merge_whose_connection_is_lost_runs_again(collect, forms, village, monkeypatch):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    calls = lose_connection_once(monkeypatch, "households_merge")

    submission = send(collect, visit_xml(entity_id, 1, size=6))

    submission.refresh_from_db()
    assert len(calls) == 2
    assert (submission.processing_error, submission.processing_attempts) == ("", 0)
    assert submission.processed_at is not None
    household = Household.objects.get(uuid=entity_id)
    assert (household.version, household.member_count) == (2, 6)


def test_evidence_checks_whose_connection_is_lost_run_again(collect, forms, village, monkeypatch):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    calls = lose_connection_once(monkeypatch, "evidence_check")

    submission = send(collect, visit_xml(entity_id, 1, size=6))

    submission.refresh_from_db()
    assert len(calls) == 2
    assert submission.processing_error == ""
    assert submission.evidence_checked_at is not None
