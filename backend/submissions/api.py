"""JSON API for submissions: the list with filters, one submission in full, its files."""

from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from backend.accounts.access import Actor, access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.areas.models import Area, Level
from backend.audit.api_log import LoggedCursorPagination, api_read_logged
from backend.audit.models import AccessKind
from backend.audit.privacy import masked_fields
from backend.core.days import day_start
from backend.core.errors import InvalidInput, NotFound
from backend.core.schemas import ERRORS
from backend.flags.models import Flag
from backend.flags.selectors import flags_as_seen_by
from backend.households.access import households_for_actor
from backend.households.models import HouseholdVersion
from backend.households.submission_access import (
    access_submission,
    in_villages,
    submissions_for_actor,
)
from backend.pipeline.intake import submission_decide
from backend.projects.models import Project, Role
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
    review state, flag code and field worker. Each page is written to the access log (one row
    per submission, in one insert)."""
    project = access_project_by_slug(request.user, slug)
    submissions = _filtered(submissions_for_actor(request.user, project), filters)
    versions = _versions_seen_by(request.user, project)
    return submissions.select_related(
        "form", "form_version", "submitted_by", "reviewed_by"
    ).prefetch_related("flags", Prefetch("household_versions", queryset=versions))


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
    submission = _with_related(
        access_submission(request.user, project, submission_id), actor=request.user
    )
    api_read_logged(
        request, project, object_type="submission", object_id=submission.pk, reveal=reveal
    )
    flags = Flag.objects.filter(submission=submission).select_related("household")
    return {
        "submission": submission,
        "fields": submission.fields if reveal else masked_fields(submission.fields or {}),
        "supersedes": submission.supersedes_id,
        "superseded_by": Submission.objects.filter(supersedes=submission)
        .values_list("pk", flat=True)
        .first(),
        "processed_at": submission.processed_at,
        "processing_error": submission.processing_error,
        "entity_error": submission.entity_error,
        "attachments": [
            SubmissionAttachmentOut.of(a, slug=slug) for a in submission.attachments.all()
        ],
        "flags": flags_as_seen_by(flags, actor=request.user, project=project),
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
    return _with_related(
        access_submission(request.user, project, submission_id), actor=request.user
    )


def _filtered(
    submissions: QuerySet[Submission], filters: SubmissionFilters
) -> QuerySet[Submission]:
    if not filters.include_superseded:
        submissions = submissions.filter(is_current=True)
    if filters.form:
        submissions = submissions.filter(form__xml_form_id=filters.form)
    if filters.since:
        submissions = submissions.filter(created_at__gte=day_start(_in_range(filters.since)))
    if filters.until:
        until = _in_range(filters.until) + timedelta(days=1)
        submissions = submissions.filter(created_at__lt=day_start(until))
    if filters.village:
        villages = Area.objects.filter(code=filters.village, level=Level.VILLAGE)
        submissions = submissions.filter(in_villages(villages))
    if filters.review_state:
        submissions = submissions.filter(review_state=filters.review_state)
    if filters.flag:
        flagged = Flag.objects.filter(code=filters.flag).values("submission_id")
        submissions = submissions.filter(pk__in=flagged)
    if filters.submitted_by:
        submissions = submissions.filter(submitted_by__username=filters.submitted_by)
    return submissions


def _in_range(day: date) -> date:
    """The day, refused outside the years 1900 to 9000."""
    # Years near the ends of the calendar overflow once shifted to UTC for the database.
    if not 1900 <= day.year <= 9000:
        raise InvalidInput(_("Dates must be between the years 1900 and 9000."))
    return day


def _versions_seen_by(actor: Actor, project: Project) -> QuerySet[HouseholdVersion]:
    """The household changes of submissions the actor may see: a submission that changed
    households in two townships shows each reader only their own."""
    visible = households_for_actor(actor=actor, project=project)
    return HouseholdVersion.objects.filter(household__in=visible).select_related(
        "household__village"
    )


def _with_related(submission: Submission, *, actor: Actor) -> Submission:
    versions = _versions_seen_by(actor, submission.project).order_by("pk")
    return (
        Submission.objects.select_related("form", "form_version", "submitted_by", "reviewed_by")
        .prefetch_related("flags", "attachments", Prefetch("household_versions", queryset=versions))
        .get(pk=submission.pk)
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
