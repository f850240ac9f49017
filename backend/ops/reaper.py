"""Tasks left "running" by a worker that died: back to the queue, or failed after a few tries.

A worker killed mid-task (out of memory, `kill -9`, a host lost) leaves its task's row
"running" for good; nothing would run it again. Every task of the project is safe to run
again, so the reaper makes it ready once more, and fails it once it has been claimed
TASK_MAX_CLAIMS times (a task that kills its worker every time must not kill them all).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backend.ops.models import TaskWorkerBeat

logger = logging.getLogger(__name__)

LOST = "backend.ops.reaper.WorkerLost"


@dataclass(frozen=True)
class Reaped:
    requeued: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"tasks of lost workers queued again: {self.requeued}, failed: {self.failed}"


def workers_alive(now: datetime) -> set[str]:
    since = now - timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)
    return set(TaskWorkerBeat.objects.filter(seen_at__gte=since).values_list("pk", flat=True))


def tasks_reap(*, now: datetime | None = None, only_worker: str | None = None) -> Reaped:
    """Give back the running tasks whose worker is no longer alive (or, with `only_worker`,
    those of that worker, which knows it lost them)."""
    now = now or timezone.now()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    if only_worker is None:
        alive = workers_alive(now)
        # A claim is recent when its worker may not have written its first beat yet.
        grace = now - timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)
        running = running.filter(Q(started_at__lt=grace) | Q(started_at__isnull=True))
    requeued = failed = 0
    for task in running.only("id", "worker_ids", "task_path"):
        claimant = task.worker_ids[-1] if task.worker_ids else None
        if only_worker is not None and claimant != only_worker:
            continue
        if only_worker is None and claimant in alive:
            continue
        if _give_back(task, now):
            requeued += 1
        else:
            failed += 1
    if requeued or failed:
        logger.warning("reaped tasks of lost workers: %s requeued, %s failed", requeued, failed)
    return Reaped(requeued, failed)


def _give_back(task: DBTaskResult, now: datetime) -> bool:
    """Ready again (True) or failed (False); a conditional UPDATE, so a worker that finishes the
    task meanwhile keeps its result."""
    still_running = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING)
    if len(task.worker_ids) < settings.TASK_MAX_CLAIMS:
        still_running.update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("task %s (%s) queued again: its worker was lost", task.pk, task.task_path)
        return True
    still_running.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=LOST,
        traceback=f"The worker running this task was lost {len(task.worker_ids)} times.",
    )
    logger.error(
        "task %s (%s) failed: lost %s workers", task.pk, task.task_path, len(task.worker_ids)
    )
    return False
