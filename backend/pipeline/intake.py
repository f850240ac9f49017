"""The doors into the pipeline: a received submission, and a supervisor's decision that
creates households. Each records through its service, then queues the merge stage once the
record is committed (backend/pipeline/tasks.py)."""

from collections.abc import Sequence
from functools import partial

from django.db import transaction

from backend.accounts.models import DeviceToken, User
from backend.households.submission_access import may_edit_submission
from backend.pipeline.tasks import enqueue_with_transaction, process_submission
from backend.projects.models import Project
from backend.review.decisions import submission_review
from backend.submissions.models import Channel, ReviewState, Submission
from backend.submissions.services import ReceivedFile, ReceiveResult, submission_receive


def submission_intake(
    *,
    project: Project,
    xml: bytes,
    files: Sequence[ReceivedFile],
    submitted_by: User,
    device_token: DeviceToken | None = None,
    device: str = "",
    channel: str = Channel.PHONE,
) -> ReceiveResult:
    """Record a submission (or an edit, or more attachments of one received before) and queue
    its processing when it is new, or complete and never merged: the phone's retry of a
    submission whose merge was lost queues it again rather than waiting for the periodic retry
    (merging is idempotent, so one still on its way does no harm)."""
    return submission_receive(
        project=project,
        xml=xml,
        files=files,
        submitted_by=submitted_by,
        may_edit=partial(may_edit_submission, submitted_by),
        device_token=device_token,
        device=device,
        channel=channel,
        recorded=_queue_processing,
    )


def _queue_processing(result: ReceiveResult) -> None:
    submission = result.submission
    if result.created or (submission.complete and submission.processed_at is None):
        enqueue_with_transaction(process_submission, submission.pk)


def submission_decide(
    *, submission: Submission, actor: User, state: str, comment: str = ""
) -> Submission:
    """A supervisor's decision (backend/review/decisions.py); an approval processes the
    submission again, which creates the households a registration awaiting approval holds."""
    decided = submission_review(submission=submission, actor=actor, state=state, comment=comment)
    if decided.review_state == ReviewState.APPROVED:
        transaction.on_commit(partial(process_submission.enqueue, decided.pk))
    return decided
