"""JSON API for submissions: the list with filters, one submission in full, its files."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.audit.api_log import LoggedCursorPagination, api_read_logged
from backend.audit.models import AccessKind
from backend.audit.privacy import masked_fields
from backend.core.errors import InvalidInput, NotFound
from backend.core.schemas import ERRORS
from backend.flags.selectors import flags_as_seen_by
from backend.households.models import HouseholdVersion
from backend.households.submission_access import access_submission
from backend.pipeline.intake import submission_decide
from backend.projects.models import Role
from backend.review.submissions import (
    SubmissionQuery,
    submission_flags,
    submission_in_full,
    submission_superseded_by,
    submissions_for_list,
    submissions_list,
)
from backend.submissions.downloads import THUMBNAIL_SIZES, attachment_response
from backend.submissions.models import AttachmentState, Submission
from backend.submissions.schemas import (
    HouseholdChangeOut,
    ReviewIn,
    SubmissionAttachmentOut,
    SubmissionDetailOut,
    SubmissionFilters,
    SubmissionOut,
)

router = Router(tags=["submissions"])

_FILE_RESPONSE = {
    "description": "The file as the phone sent it",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get("/projects/{slug}/submissions", response={200: list[SubmissionOut], **ERRORS})
@paginate(
    LoggedCursorPagination,
    ordering=("-created_at", "-id"),
    page_size=100,
    log=(AccessKind.VIEW_SUBMISSION, "submission", "pk"),
)
def list_submissions(
    request: HttpRequest, slug: str, filters: Query[SubmissionFilters]
) -> QuerySet[Submission]:
    """Submissions the caller may see, newest first, filtered by form, received date, village,
    review state, open flag and field worker (the review queue's filters, meaning the same).
    Each page is written to the access log (one row per submission, in one insert)."""
    project = access_project_by_slug(request.user, slug)
    submissions = submissions_list(actor=request.user, project=project, query=_query(filters))
    return submissions_for_list(submissions, actor=request.user, project=project)


@router.get(
    "/projects/{slug}/submissions/{submission_id}", response={200: SubmissionDetailOut, **ERRORS}
)
def get_submission(
    request: HttpRequest, slug: str, submission_id: int, reveal: bool = False
) -> dict[str, object]:
    """One submission: its answers, files (with checksums and download paths), flags and the
    households it changed.

    ID and phone numbers and health answers are masked; `reveal=true` shows them (supervisors
    and admins). Every read is written to the access log, a reveal as such."""
    project = access_project_by_slug(request.user, slug)
    submission = submission_in_full(
        access_submission(request.user, project, submission_id), actor=request.user
    )
    api_read_logged(
        request, project, object_type="submission", object_id=submission.pk, reveal=reveal
    )
    return {
        "submission": submission,
        "fields": submission.fields if reveal else masked_fields(submission.fields or {}),
        "supersedes": submission.supersedes_id,
        "superseded_by": submission_superseded_by(submission),
        "processed_at": submission.processed_at,
        "processing_error": submission.processing_error,
        "entity_error": submission.entity_error,
        "attachments": [
            SubmissionAttachmentOut.of(a, slug=slug) for a in submission.attachments.all()
        ],
        "flags": flags_as_seen_by(
            submission_flags(submission), actor=request.user, project=project
        ),
        "households": [_change(v) for v in submission.household_versions.all()],
    }


@router.get(
    "/projects/{slug}/submissions/{submission_id}/attachments/{name}",
    response=ERRORS,
    openapi_extra={"responses": {200: _FILE_RESPONSE}},
)
def download_submission_attachment(
    request: HttpRequest, slug: str, submission_id: int, name: str, size: str = ""
) -> HttpResponseBase:
    """A photo or other file of the submission (`size=small|large`: a photo's thumbnail), with
    its SHA-256 in `X-Content-SHA256`. Types a browser would run arrive as octet-stream."""
    project = access_project_by_slug(request.user, slug)
    submission = access_submission(request.user, project, submission_id)
    attachment = submission.attachments.filter(name=name, state=AttachmentState.RECEIVED).first()
    if attachment is None or not attachment.file:
        raise NotFound(_("File not found."))
    if size and size not in THUMBNAIL_SIZES:
        raise InvalidInput(_("size is small or large."))
    return attachment_response(request, attachment, size=size)


@router.post(
    "/projects/{slug}/submissions/{submission_id}/review",
    response={200: SubmissionOut, **ERRORS},
)
def review_submission(
    request: SignedInRequest, slug: str, submission_id: int, decision: ReviewIn
) -> Submission:
    """Approve, mark as having issues (the comment reaches the phone as the household's review
    note), or reject. Supervisors and admins only."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    submission = access_submission(request.user, project, submission_id)
    submission_decide(
        submission=submission, actor=request.user, state=decision.state, comment=decision.comment
    )
    return submission_in_full(
        access_submission(request.user, project, submission_id), actor=request.user
    )


def _query(filters: SubmissionFilters) -> SubmissionQuery:
    return SubmissionQuery(
        form=filters.form or "",
        village=filters.village or "",
        since=filters.since,
        until=filters.until,
        states=(filters.review_state,) if filters.review_state else (),
        flag=filters.flag or "",
        submitted_by=filters.submitted_by or "",
        include_superseded=filters.include_superseded,
    )


def _change(version: HouseholdVersion) -> HouseholdChangeOut:
    household = version.household
    return HouseholdChangeOut(
        household=str(household.uuid),
        code=household.code,
        village=household.village.code,
        version=version.version,
        conflict=version.conflict,
    )
