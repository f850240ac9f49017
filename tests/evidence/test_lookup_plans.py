"""The lookups that post-processing runs for every visit read an index in their exact order and
stop at the first row, so their cost does not grow with a worker's visits, a picture's copies or
a household's flags."""

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from backend.evidence.models import PhotoEvidence, VisitEvidence
from backend.evidence.selectors import identical_earlier_photo, previous_visit
from backend.households.models import Household
from backend.monitoring.engine import _cleared_on_these_facts
from backend.monitoring.facts import _previous_incomes

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")


def _plans(lookup) -> list[str]:
    """The plans of the queries the lookup runs, with sequential scans and sorts priced out, so
    that an empty table shows which index can be walked in the query's order (without rows and
    statistics, an index on the household alone plus a sort costs the planner the same)."""
    with CaptureQueriesContext(connection) as queries:
        lookup()
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.django_db
def test_the_previous_visit_is_read_from_the_index_in_its_order(bob):
    visit = VisitEvidence(
        worker=bob, device_id="collect:1", ended_at=datetime(2026, 12, 1, tzinfo=UTC)
    )

    plans = _plans(lambda: previous_visit(visit, {1}))

    assert len(plans) == 2  # the worker's, then the phone's
    assert "visit_worker_previous" in plans[0]
    assert "visit_device_previous" in plans[1]
    assert all("Sort" not in plan for plan in plans)


@pytest.mark.django_db
def test_the_first_identical_photo_is_read_from_the_index_in_its_order():
    photo = PhotoEvidence(submission_id=10**9, sha256="ab" * 32)

    (plan,) = _plans(lambda: identical_earlier_photo(photo, {1}))

    assert "photo_sha256_first" in plan
    assert "Sort" not in plan


@pytest.mark.django_db
def test_the_last_flag_of_a_household_is_read_from_the_index_in_its_order():
    (plan,) = _plans(lambda: _cleared_on_these_facts({(10**9, "low_income"): {}}))

    assert "flag_household_code_latest" in plan
    assert "Sort" not in plan


@pytest.mark.django_db
def test_the_version_before_the_current_one_is_read_from_the_index_in_its_order():
    (plan,) = _plans(lambda: _previous_incomes([Household(pk=10**9)]))

    assert "household_version_unique" in plan
    assert "WindowAgg" not in plan
    assert "Sort" not in plan


@pytest.mark.django_db
def test_a_merge_workers_claim_starts_at_its_queue():
    """While evidence checks wait (they run on idle CPU), a merge worker's poll must not walk
    past them: it reads the ready tasks of its own queue (backend/ops/migrations/0004)."""
    ready = DBTaskResult.objects.ready().filter(queue_name__in=["default"])

    with transaction.atomic():
        (plan,) = _plans(lambda: ready.select_for_update(skip_locked=True).first())

    assert "task_ready_by_queue" in plan
    assert "Sort" not in plan
