"""Supervisors' decisions on submissions, each with a comment in the submission's review thread."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.access import scope_of
from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.core.errors import InvalidInput, PermissionDenied
from backend.households.derived import household_before, household_written
from backend.households.merge import villages_to_create
from backend.households.models import Household
from backend.review.models import ReviewComment
from backend.review.services import clean_comment
from backend.submissions.models import ReviewState, Submission
from backend.submissions.xml import InstanceError, parse_instance

_DECISIONS = {ReviewState.APPROVED, ReviewState.HAS_ISSUES, ReviewState.REJECTED}
# The comment becomes the note on the worker's phone: it cannot be empty.
_NEEDS_COMMENT = {ReviewState.HAS_ISSUES}


@transaction.atomic(durable=True)
def submission_review(
    *, submission: Submission, actor: User, state: str, comment: str = ""
) -> Submission:
    """Approve, mark as having issues, or reject a submission, recording the comment.

    "Has issues" puts the comment on the households the submission changed as their review note,
    which the phones show on the next visit (households.csv); approval clears that note.
    Approval is also when a registration that needs approval creates its household: whoever
    approves processes the submission again (backend/pipeline/intake.py; processing is
    idempotent).
    """
    if state not in _DECISIONS:
        raise InvalidInput(_("Unknown review decision: %(state)s.") % {"state": state})
    comment = clean_comment(comment)
    if state in _NEEDS_COMMENT and not comment:
        raise InvalidInput(_("Say what is wrong: this decision needs a comment."))
    if state == ReviewState.APPROVED:
        _check_may_approve(submission, actor)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    previous = submission.review_state
    submission.review_state = state
    submission.reviewed_by, submission.reviewed_at = actor, timezone.now()
    submission.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "updated_at"])
    ReviewComment.objects.create(
        submission=submission, author=actor, decision=state, previous_state=previous, text=comment
    )
    if state == ReviewState.HAS_ISSUES:
        _set_review_note(submission, comment)
    elif state == ReviewState.APPROVED:
        _set_review_note(submission, "")
    return submission


def _check_may_approve(submission: Submission, actor: User) -> None:
    """An approval that would create households needs a scope holding their villages: seeing a
    worker's registration is not the right to add a household to another township."""
    try:
        instance = parse_instance(submission.xml.encode("utf-8"))
    except InstanceError:
        return  # nothing to create from an instance that does not parse
    codes = villages_to_create(submission=submission, instance=instance)
    if not codes:
        return
    scope = scope_of(actor, submission.project)
    villages = Area.objects.filter(code__in=codes, level=Level.VILLAGE).values_list("pk", flat=True)
    if not all(scope.holds_village(village) for village in villages):
        raise PermissionDenied(
            _("This registration is for a village outside your areas: its own supervisors decide.")
        )


def _set_review_note(submission: Submission, note: str) -> None:
    # The note is on each household's line of the phones' list: the copies follow it.
    households = Household.objects.filter(versions__submission=submission).distinct()
    for household in households.exclude(review_note=note):
        before = household_before(household)
        household.review_note = note
        household.save(update_fields=["review_note", "updated_at"])
        household_written(household, before=before)
