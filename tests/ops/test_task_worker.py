"""The task worker outlives database outages, and the tasks of a killed worker run again."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backend.ops.models import TaskWorkerBeat
from backend.ops.reaper import LOST, tasks_reap
from backend.ops.worker import TaskWorker
from backend.pipeline.tasks import process_submission

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASK_WORKER_LOST_SECONDS = 60
    settings.TASK_MAX_CLAIMS = 3


def _worker(**options) -> TaskWorker:
    defaults = {
        "queue_names": ["default", "evidence"],
        "interval": 0.05,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "worker-under-test",
        "excluded_queue_names": [],
    }
    return TaskWorker(**(defaults | options))


def _claimed(*workers: str, minutes_ago: int = 5) -> DBTaskResult:
    """A task claimed by `workers` in turn, the last one still 'running' it."""
    result = process_submission.enqueue(123456)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=list(workers),
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


def _beat(worker_id: str, *, seconds_ago: int) -> None:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    TaskWorkerBeat.objects.create(
        worker_id=worker_id, host="h", pid=1, queues="default", started_at=seen, seen_at=seen
    )


@pytest.mark.django_db
def test_a_task_of_a_killed_worker_goes_back_to_the_queue(database_queue):
    task = _claimed("killed")
    _beat("killed", seconds_ago=300)

    reaped = tasks_reap()

    task.refresh_from_db()
    assert (reaped.requeued, reaped.failed) == (1, 0)
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None


@pytest.mark.django_db
def test_a_task_whose_worker_left_no_row_is_a_lost_one(database_queue):
    task = _claimed("gone-without-a-trace")
    tasks_reap()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_busy_worker_keeps_its_task(database_queue):
    task = _claimed("busy", minutes_ago=30)
    _beat("busy", seconds_ago=5)
    assert tasks_reap().requeued == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_claim_younger_than_the_grace_is_left_alone(database_queue):
    task = _claimed("starting", minutes_ago=0)
    assert tasks_reap().requeued == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_that_lost_three_workers_fails_instead_of_killing_more(database_queue):
    task = _claimed("first", "second", "third")
    reaped = tasks_reap()
    task.refresh_from_db()
    assert (reaped.requeued, reaped.failed) == (0, 1)
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == LOST
    assert "3 times" in task.traceback


# The worker's loop closes its connection between polls, as the real one must: no test
# transaction around it.
@pytest.mark.django_db(transaction=True)
def test_a_restarted_worker_runs_what_the_dead_one_held(database_queue):
    task = _claimed("killed")

    _worker().run()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["killed", "worker-under-test"]
    # A worker that stops cleanly leaves no row behind.
    assert not TaskWorkerBeat.objects.exists()


@pytest.mark.django_db
def test_the_worker_waits_for_the_database_instead_of_exiting(database_queue):
    worker = _worker()
    calls = []

    def unreachable_twice() -> None:
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise OperationalError("connection refused")

    worker._until_database(unreachable_twice)

    assert len(calls) == 3
    assert calls[2] - calls[0] >= 1.0  # paused 0.5 s, then 1 s


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_running_when_its_connection_is_killed(database_queue):
    if connection.vendor != "postgresql":
        pytest.skip("terminating another session's connection needs PostgreSQL")
    worker = _worker(batch=False)

    def run() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        first = process_submission.enqueue(1)
        _wait_done(first.id)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        second = process_submission.enqueue(2)
        _wait_done(second.id)
        assert thread.is_alive()
    finally:
        worker.running = False
        thread.join(timeout=10)
    assert not thread.is_alive()


def _wait_done(task_id: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = DBTaskResult.objects.get(pk=task_id).status
        if status == TaskResultStatus.SUCCESSFUL:
            return
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} not done: {status}")
