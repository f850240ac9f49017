"""The periodic jobs and the claim that lets several runners share them.

Each job runs at most once per interval across all runners: a runner claims a due job with a
conditional UPDATE of its PeriodicJob row (next_run_at <= now → next_run_at = now + interval);
the database lets exactly one UPDATE match. No transaction is held while a job runs, so the jobs
keep their own durable transactions.
"""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from backend.households.overdue import overdue_visits_check
from backend.ops.health import oldest_ready_task_seconds
from backend.ops.leftovers import leftovers_remove
from backend.ops.models import PeriodicJob
from backend.ops.reaper import tasks_reap
from backend.pipeline.retry import submissions_retry_processing

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], str]


def _overdue_visits() -> str:
    opened, closed = overdue_visits_check()
    return f"overdue flags opened: {opened}, closed: {closed}"


def _household_backlog() -> str:
    out = io.StringIO()
    call_command("process_household_backlog", stdout=out)
    return out.getvalue().strip()


def _retry_processing() -> str:
    wait = timedelta(minutes=settings.PROCESSING_RETRY_MINUTES)
    lag = oldest_ready_task_seconds("default")  # the queue process_submission is on
    if lag is not None and lag > wait.total_seconds():
        # A queue that is only behind explains the waiting submissions; more copies of their
        # tasks would make it longer.
        return f"task queue {lag:.0f} s behind: nothing queued again"
    count = submissions_retry_processing(
        received_before=wait, max_attempts=settings.PROCESSING_MAX_ATTEMPTS, limit=1000
    )
    return f"submissions queued for processing again: {count}"


def _reap_tasks() -> str:
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return "tasks run in-process: nothing to reap"
    return str(tasks_reap())


def _remove_leftovers() -> str:
    files, size = leftovers_remove()
    return f"unfinished upload files removed: {files} ({size} bytes)"


def _cleanup() -> str:
    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    done = f"expired sessions deleted: {sessions}"
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        out = io.StringIO()
        days = str(settings.TASK_RESULTS_KEEP_DAYS)
        call_command("prune_db_task_results", "--min-age-days", days, stdout=out)
        done += f"; {out.getvalue().strip() or 'task results pruned'}"
    return done


JOBS = (
    Job("check_overdue_visits", timedelta(hours=6), _overdue_visits),
    Job("process_household_backlog", timedelta(hours=1), _household_backlog),
    Job("retry_processing", timedelta(minutes=10), _retry_processing),
    Job("reap_tasks", timedelta(minutes=1), _reap_tasks),
    Job("remove_leftovers", timedelta(hours=1), _remove_leftovers),
    Job("cleanup", timedelta(days=1), _cleanup),
)


def claim(job: Job) -> bool:
    """Claim the job if it is due; True for exactly one caller per interval."""
    now = timezone.now()
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_started_at=now
    )
    return claimed == 1


def run_due_jobs(jobs: tuple[Job, ...] = JOBS) -> list[tuple[str, str]]:
    """Run every due job this runner can claim; return (name, result) for each run."""
    ran = []
    for job in jobs:
        if not claim(job):
            continue
        try:
            result, failed = job.run(), False
        except Exception as exc:
            # One failing job must not stop the others; it runs again at its next interval.
            logger.exception("periodic job %s failed", job.name)
            result, failed = f"{type(exc).__name__}: {exc}", True
        PeriodicJob.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_result=result[:2000], last_failed=failed
        )
        logger.info("periodic job %s: %s", job.name, result, extra={"job": job.name})
        ran.append((job.name, result))
    return ran
