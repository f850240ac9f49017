"""Supervisors' decisions on submissions (the review pages come with the web interface issue)."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.core.errors import InvalidInput
from backend.submissions.models import ReviewState, Submission
from backend.submissions.tasks import process_submission

_DECISIONS = {ReviewState.APPROVED, ReviewState.HAS_ISSUES, ReviewState.REJECTED}


@transaction.atomic
def submission_review(*, submission: Submission, actor: User, state: str) -> Submission:
    """Approve, mark as having issues, or reject a submission.

    Approval is when a registration that needs approval creates its household: the submission is
    processed again after commit (processing is idempotent, so nothing else applies twice).
    """
    if state not in _DECISIONS:
        raise InvalidInput(_("Unknown review decision: %(state)s.") % {"state": state})
    submission.review_state = state
    submission.reviewed_by, submission.reviewed_at = actor, timezone.now()
    submission.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "updated_at"])
    if state == ReviewState.APPROVED:
        transaction.on_commit(partial(process_submission.enqueue, submission.pk))
    return submission
