"""Processing that never ran or failed is queued again by the periodic runner
(backend/pipeline/retry.py), and not when the queue is only behind."""

from datetime import timedelta

from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backend.ops.models import PeriodicJob
from backend.ops.periodic import JOBS, run_due_jobs
from backend.submissions.models import Submission
from tests.sync.submissions import multipart, simple_xml

RETRY = tuple(job for job in JOBS if job.name == "retry_processing")
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
}


def _received(collect, instance_id: str, *, minutes_ago: int, **state) -> Submission:
    collect("post", "submission", data=multipart(simple_xml(instance_id)))
    Submission.objects.filter(instance_id=instance_id).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago), **state
    )
    return Submission.objects.get(instance_id=instance_id)


def test_a_submission_whose_processing_was_lost_is_processed(collect, simple):
    lost = _received(collect, "uuid:lost", minutes_ago=30, processed_at=None, fields={})

    [(_name, result)] = run_due_jobs(RETRY)

    lost.refresh_from_db()
    assert lost.processed_at is not None
    assert lost.fields["name"] == "Li"
    assert result == "submissions queued for processing again: 1"


def test_only_old_unprocessed_or_failed_ones_are_queued(collect, simple):
    ids = {
        "never": _received(collect, "uuid:1", minutes_ago=30, processed_at=None).pk,
        "failed": _received(collect, "uuid:2", minutes_ago=30, processing_error="Boom").pk,
    }
    _received(collect, "uuid:3", minutes_ago=30)  # processed
    _received(collect, "uuid:4", minutes_ago=2, processed_at=None)  # its task may still run
    _received(
        collect, "uuid:5", minutes_ago=30, processing_error="Boom", processing_attempts=5
    )  # left for a person

    with override_settings(TASKS=DATABASE_QUEUE):
        run_due_jobs(RETRY)

    queued = [row.args_kwargs["args"][0] for row in DBTaskResult.objects.order_by("enqueued_at")]
    assert sorted(queued) == sorted(ids.values())


def test_nothing_is_queued_again_while_the_queue_is_behind(collect, simple):
    _received(collect, "uuid:late", minutes_ago=60, processed_at=None)
    with override_settings(TASKS=DATABASE_QUEUE):
        Submission.objects.update(processed_at=None)
        from backend.pipeline.tasks import process_submission

        process_submission.enqueue(Submission.objects.get().pk)
        DBTaskResult.objects.update(enqueued_at=F("enqueued_at") - timedelta(minutes=40))

        [(_name, result)] = run_due_jobs(RETRY)

    assert "behind" in result
    assert DBTaskResult.objects.count() == 1


def test_a_failure_counts_an_attempt_and_success_clears_them(
    collect, simple, monkeypatch, django_capture_on_commit_callbacks
):
    submission = _received(collect, "uuid:f", minutes_ago=30, processed_at=None)

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("backend.pipeline.steps.extract_fields", broken)
    run_due_jobs(RETRY)
    submission.refresh_from_db()
    assert (submission.processing_attempts, submission.processing_error) == (
        1,
        "RuntimeError: database hiccup",
    )

    monkeypatch.undo()
    Submission.objects.update(processing_attempts=1)
    PeriodicJob.objects.update(next_run_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):  # the checks queued after the merge
        run_due_jobs(RETRY)
    submission.refresh_from_db()
    assert (submission.processing_attempts, submission.processing_error) == (0, "")
    assert submission.processed_at is not None


def test_checks_that_keep_failing_are_given_up_after_the_attempts(
    collect, simple, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("bad photo library")

    monkeypatch.setattr("backend.pipeline.steps.evidence_check", broken)
    submission = _received(collect, "uuid:e", minutes_ago=30)  # its checks failed once already
    for _ in range(6):
        PeriodicJob.objects.update(next_run_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            run_due_jobs(RETRY)

    submission.refresh_from_db()
    assert submission.processing_attempts == 5
    assert submission.processing_error == "evidence checks: RuntimeError: bad photo library"
    assert submission.processed_at is not None  # the household merge itself went through


def test_evidence_checks_whose_task_was_lost_are_queued_again(collect, simple):
    """Merged, but the process died before the checks were queued (or their worker died)."""
    lost = _received(collect, "uuid:unchecked", minutes_ago=30, evidence_checked_at=None)
    Submission.objects.filter(pk=lost.pk).update(processed_at=F("created_at"))
    _received(collect, "uuid:checked", minutes_ago=30)  # merged and checked
    fresh = _received(collect, "uuid:fresh", minutes_ago=1, evidence_checked_at=None)
    Submission.objects.filter(pk=fresh.pk).update(processed_at=timezone.now())

    with override_settings(TASKS=DATABASE_QUEUE):
        [(_name, result)] = run_due_jobs(RETRY)

    [task] = DBTaskResult.objects.all()
    assert task.task_path == "backend.pipeline.tasks.check_evidence"
    assert task.args_kwargs["args"] == [lost.pk]
    assert result == "submissions queued for processing again: 1"


def test_a_submission_is_checked_once_its_evidence_checks_ran(collect, simple):
    submission = _received(collect, "uuid:done", minutes_ago=0)
    assert submission.processed_at is not None
    assert submission.evidence_checked_at is not None
