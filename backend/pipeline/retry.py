"""Post-processing queued again when it never ran or failed (the periodic runner's job).

A submission is safe once its 201 is sent, but the work after it can be lost or fail: a process
that dies between the commit and the enqueue leaves no task, and a task can fail on a database
hiccup or a bug fixed since. Without this, such a visit would never reach its household (or its
photos never be checked) until someone ran `process_submissions`. Processing is idempotent, so
queueing one twice costs only time; a submission that keeps failing is left after a few
attempts for a person to look at.
"""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.pipeline.tasks import check_evidence, process_submission
from backend.submissions.models import Submission


def submissions_to_retry(*, received_before: timedelta, max_attempts: int) -> QuerySet[Submission]:
    """Never processed, or failed fewer than `max_attempts` times; received long enough ago
    that a queue merely behind would have reached them."""
    pending = Q(processed_at__isnull=True) | ~Q(processing_error="")
    return Submission.objects.filter(
        pending,
        processing_attempts__lt=max_attempts,
        created_at__lt=timezone.now() - received_before,
    ).order_by("pk")


def submissions_to_check(*, merged_before: timedelta) -> QuerySet[Submission]:
    """Merged without a failure long enough ago, yet their evidence checks never finished: the
    task was never queued (a process died after the merge) or died with its worker."""
    return Submission.objects.filter(
        processed_at__lt=timezone.now() - merged_before,
        evidence_checked_at__isnull=True,
        processing_error="",
    ).order_by("pk")


def submissions_retry_processing(
    *, received_before: timedelta, max_attempts: int, limit: int
) -> int:
    """Queue the processing (or only the evidence checks) of up to `limit` such submissions;
    return how many."""
    queryset = submissions_to_retry(received_before=received_before, max_attempts=max_attempts)
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    for submission_id in ids:
        process_submission.enqueue(submission_id)
    unchecked = submissions_to_check(merged_before=received_before)
    checks = list(unchecked.values_list("pk", flat=True)[: max(limit - len(ids), 0)])
    for submission_id in checks:
        check_evidence.enqueue(submission_id)
    return len(ids) + len(checks)
