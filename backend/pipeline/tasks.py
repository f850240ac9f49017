"""The two stages of backend/pipeline/steps.py as tasks: never on the path of the 201.

- `process_submission` (queue "default"): the merge stage. A few milliseconds; phones see
  their update once it is done.
- `check_evidence` (queue "evidence", lower priority), enqueued when the first has finished:
  the checks stage (photos, GPS, timing, image marks, risk). Its failure never undoes the merge.
In the embedded default both run in-process, one after the other, once the submission's
transaction has committed: before the view returns its 201.
"""

import logging
import uuid
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from backend.core.compiled import insert_of_one_row
from backend.core.compiled_select import CompiledSelect
from backend.core.transient import connection_lost, with_reconnect, with_retries
from backend.pipeline.steps import CHECKS, MERGE
from backend.pipeline.visit import Visit
from backend.submissions.models import Submission
from backend.submissions.xml import Instance, InstanceError, parse_instance

logger = logging.getLogger(__name__)

# The queue of the evidence checks (settings.TASKS lists it). Workers take higher priorities
# first, so a worker serving both queues merges every waiting submission before checking photos.
EVIDENCE_QUEUE = "evidence"
EVIDENCE_PRIORITY = -50


def enqueue_with_transaction(queued: Task[..., None], *args: object) -> None:
    """Queue the task so that it exists exactly when the current transaction commits.

    With the database queue its row is written in the transaction itself: one commit for the
    record and its task, and no moment between them at which a crash would leave a record that
    nothing will process. Any other backend (the embedded default runs the task at once) gets it
    once the transaction has committed.
    """
    backend = task_backends[queued.backend]
    if isinstance(backend, DatabaseBackend):
        _task_row(backend, queued, args)
    else:
        transaction.on_commit(partial(queued.enqueue, *args))


def _task_row(backend: DatabaseBackend, queued: Task[..., None], args: tuple[object, ...]) -> None:
    """The row `queued.enqueue(*args)` writes, written by an INSERT compiled once: the ORM's
    create was a sixth of a submission's intake. The library's own enqueue would also validate
    the task (done when it was declared) and send `task_enqueued`, whose only listener writes a
    debug line, written here."""
    row: DBTaskResult[..., None] = DBTaskResult(
        id=uuid.uuid4(),  # the model's default, as the backend's when it names no id function
        args_kwargs=normalize_json({"args": args, "kwargs": {}}),
        priority=queued.priority,
        task_path=queued.module_path,
        queue_name=queued.queue_name,
        # The library's pre_save signal puts "no time" there; this INSERT sends no signals.
        run_after=queued.run_after or get_date_max(),
        backend_name=backend.alias,
    )
    insert_of_one_row(DBTaskResult).run(row)
    logger.debug("Task id=%s path=%s enqueued backend=%s", row.id, row.task_path, backend.alias)


@task()
def process_submission(submission_id: int, force_held: bool = False) -> None:
    """Run the merge stage of one submission, then queue its checks. Safe to run again.
    `force_held` applies a held offline update whose predecessor never came."""
    # A connection lost mid-way (a failover, pg_terminate_backend) runs the merge again at once,
    # rather than failing it until the periodic retry, minutes later.
    if with_reconnect(partial(submission_merge, submission_id, force_held=force_held)):
        transaction.on_commit(partial(check_evidence.enqueue, submission_id))


@task(queue_name=EVIDENCE_QUEUE, priority=EVIDENCE_PRIORITY)
def check_evidence(submission_id: int) -> None:
    """Run the checks stage of one merged submission. Safe to run again."""
    with_reconnect(partial(submission_evidence_check, submission_id))


def submission_merge(submission_id: int, *, force_held: bool = False) -> bool:
    """The merge stage, in one transaction; False when the submission is gone."""
    submission = _submission(submission_id)
    if submission is None:
        return False
    visit = Visit(submission, _instance(submission), force_held=force_held)
    _guarded(visit, partial(_merge_stage, visit), "")
    for successor in visit.released:
        transaction.on_commit(partial(process_submission.enqueue, successor))
    return True


def submission_evidence_check(submission_id: int) -> None:
    """The checks stage. A failure is recorded on the submission (so the retry runs it again)
    and never touches what the merge did."""
    submission = _submission(submission_id)
    if submission is None or submission.processed_at is None:
        return  # not merged yet: its own merge task queues the checks when it is done
    visit = Visit(submission, _instance(submission))
    for step in CHECKS:
        _guarded(visit, partial(step.run, visit), "evidence checks: ")
    # Only now is the whole processing through: a merge that succeeds before checks that keep
    # failing must not reset the count, or the periodic retry would never give up.
    Submission.objects.filter(pk=submission_id).update(
        evidence_checked_at=timezone.now(), processing_attempts=0
    )


def _merge_stage(visit: Visit) -> None:
    submission = visit.submission
    with transaction.atomic():
        for step in MERGE:
            step.run(visit)
        submission.entity_error = visit.entity_error
        submission.processed_at = timezone.now()
        submission.processing_error = ""
        submission.save(
            update_fields=[
                "fields",
                "started_at",
                "ended_at",
                "processed_at",
                "processing_error",
                "entity_error",
                "village",
                "updated_at",
            ]
        )


def _guarded(visit: Visit, run: Callable[[], None], prefix: str) -> None:
    """Run a stage or step; a failure that is not a lost connection is recorded on the
    submission, which is safe in the database, for the retry to run it again.

    A deadlock with another worker (a merge and a check of the same household take their rows
    in different orders) ends one transaction of the two: the step is run again at once, as it
    is safe to, rather than left failed until the periodic retry, minutes later."""
    try:
        with_retries(run, attempts=4, pause=0.2)
    except Exception as exc:
        if connection_lost(exc):
            raise  # nothing is wrong with the submission: the task runs it again
        submission_id = visit.submission.pk
        logger.exception("processing submission %s failed", submission_id)
        Submission.objects.filter(pk=submission_id).update(
            processing_error=f"{prefix}{type(exc).__name__}: {exc}"[:2000],
            processing_attempts=F("processing_attempts") + 1,
        )
        raise


def _submission(submission_id: int) -> Submission | None:
    return next(iter(_SUBMISSION.rows(submission_id)), None)


# Read at the start of every merge: compiled once (backend/core/compiled_select.py). The XForm
# itself is not needed here (the evidence checks read it through a cache).
_SUBMISSION = CompiledSelect(
    lambda submission_id: (
        Submission.objects.select_related("form_version", "project", "submitted_by")
        .defer("form_version__xform", "form_version__warnings")
        .filter(pk=submission_id)
        .order_by()
    )
)


def _instance(submission: Submission) -> Instance | None:
    try:
        return parse_instance(submission.xml.encode("utf-8"))
    except InstanceError:
        return None  # intake parsed it once; a stored XML that no longer parses is not ours to fix
