"""With the database queue, a received submission's processing task is written in the
submission's own transaction: both commit together or neither does, with one commit."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from backend.pipeline import intake
from backend.pipeline.tasks import process_submission
from backend.submissions.models import Submission
from tests.sync.submissions import multipart, simple_xml

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
}


queue = intake._queue_processing
DIFFER = {"id", "enqueued_at"}
SUBMISSION_INSERT = r'INSERT (OR IGNORE )?INTO "submissions_submission" '


def _queued() -> list[int]:
    return [row.args_kwargs["args"][0] for row in DBTaskResult.objects.all()]


@pytest.mark.django_db(transaction=True)
def test_the_task_is_written_in_the_submissions_transaction(collect, simple):
    with override_settings(TASKS=DATABASE_QUEUE), CaptureQueriesContext(connection) as queries:
        response = collect("post", "submission", data=multipart(simple_xml("uuid:q1")))

    assert response.status_code == 201
    assert _queued() == [Submission.objects.get(instance_id="uuid:q1").pk]
    statements = [query["sql"] for query in queries.captured_queries]
    task_insert = next(i for i, sql in enumerate(statements) if "django_tasks_database" in sql)
    submission_insert = next(
        i for i, sql in enumerate(statements) if re.match(SUBMISSION_INSERT, sql)
    )
    commits = [i for i, sql in enumerate(statements) if sql.upper().startswith("COMMIT")]
    # The task after the submission, and no commit between them.
    assert submission_insert < task_insert
    assert not [i for i in commits if submission_insert < i < task_insert]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_fails_after_the_task_leaves_neither(collect, simple, monkeypatch):
    def queue_then_fail(result):
        queue(result)
        assert _queued() == [result.submission.pk]  # written, not yet committed
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(intake, "_queue_processing", queue_then_fail)
    with override_settings(TASKS=DATABASE_QUEUE):
        response = collect("post", "submission", data=multipart(simple_xml("uuid:q2")))

    assert response.status_code == 500
    assert not Submission.objects.filter(instance_id="uuid:q2").exists()
    assert _queued() == []


@pytest.mark.django_db(transaction=True)
def test_a_retry_of_a_merged_submission_queues_nothing(collect, simple):
    body = simple_xml("uuid:q3")
    collect("post", "submission", data=multipart(body))  # processed at once by the default

    with override_settings(TASKS=DATABASE_QUEUE):
        again = collect("post", "submission", data=multipart(body))

    assert again.status_code == 201
    assert _queued() == []


@pytest.mark.django_db(transaction=True)
def test_the_task_row_is_the_one_the_librarys_enqueue_writes(collect, simple):
    """The intake writes the task's row itself (one INSERT compiled once): the same row, apart
    from its id and time, as the library's own enqueue, and a worker runs it."""
    with override_settings(TASKS=DATABASE_QUEUE):
        collect("post", "submission", data=multipart(simple_xml("uuid:q4")))
        submission = Submission.objects.get(instance_id="uuid:q4")
        ours = DBTaskResult.objects.get()
        theirs_id = process_submission.enqueue(submission.pk).id
        theirs = DBTaskResult.objects.get(pk=theirs_id)
        call_command("task_worker", "--batch", "--queue-name", "default", verbosity=0)

    def row(result: DBTaskResult) -> dict:
        # Every column but the ones that differ between two rows written a moment apart.
        fields = [f.attname for f in DBTaskResult._meta.concrete_fields]
        return {name: getattr(result, name) for name in fields if name not in DIFFER}

    assert row(ours) == row(theirs)
    assert ours.enqueued_at <= theirs.enqueued_at
    ours.refresh_from_db()
    assert ours.status == "SUCCESSFUL"
    submission.refresh_from_db()
    assert submission.processed_at is not None
