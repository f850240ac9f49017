import re
from datetime import date, datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import field_validator

from backend.households.schemas import FlagOut
from backend.submissions.models import (
    AttachmentState,
    Channel,
    ReviewState,
    Submission,
    SubmissionAttachment,
)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class SubmissionFilters(Schema):
    form: str | None = Field(None, description="the form's form_id")
    since: date | None = Field(None, description="received on or after this day (server time)")
    until: date | None = Field(None, description="received on or before this day (server time)")
    village: str | None = Field(None, description="village code")
    review_state: ReviewState | None = None
    flag: str | None = Field(None, description="has an open flag with this code")
    submitted_by: str | None = Field(None, description="username of the field worker")
    include_superseded: bool = Field(False, description="also the versions an edit replaced")

    @field_validator("since", "until", mode="before")
    @classmethod
    def _iso_day(cls, value: object) -> object:
        # pydantic would read a bare number as a Unix timestamp; the schema promises YYYY-MM-DD.
        if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
            raise ValueError("expected a day as YYYY-MM-DD")
        return value


class SubmissionOut(Schema):
    id: int
    instance_id: str
    instance_id_assigned: bool  # the form declares no meta/instanceID: the server made it
    instance_name: str
    form_id: str
    form_version: str
    village: str | None
    submitted_by: str | None
    channel: Channel  # "phone" (ODK Collect) or "web" (entered in the web form by submitted_by)
    device_id: str
    received_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    complete: bool
    encrypted: bool
    is_current: bool
    review_state: ReviewState
    reviewed_by: str | None
    reviewed_at: datetime | None
    flags: list[str]
    households: list[str]

    @staticmethod
    def resolve_form_id(submission: Submission) -> str:
        return submission.form.xml_form_id

    @staticmethod
    def resolve_form_version(submission: Submission) -> str:
        return submission.form_version.version

    @staticmethod
    def resolve_village(submission: Submission) -> str | None:
        # The village the submission belongs to, which the `village` filter matches.
        return submission.village.code if submission.village else None

    @staticmethod
    def resolve_submitted_by(submission: Submission) -> str | None:
        return submission.submitted_by.username if submission.submitted_by else None

    @staticmethod
    def resolve_received_at(submission: Submission) -> datetime:
        return submission.created_at

    @staticmethod
    def resolve_reviewed_by(submission: Submission) -> str | None:
        return submission.reviewed_by.username if submission.reviewed_by else None

    @staticmethod
    def resolve_flags(submission: Submission) -> list[str]:
        return sorted({flag.code for flag in submission.flags.all()})

    @staticmethod
    def resolve_households(submission: Submission) -> list[str]:
        return sorted({str(v.household.uuid) for v in submission.household_versions.all()})


class SubmissionAttachmentOut(Schema):
    name: str
    state: AttachmentState
    size: int | None
    sha256: str
    md5: str
    content_type: str
    # For photos: whether the file decodes as an image (null until checked), and why not.
    image_ok: bool | None
    image_problem: str
    # The path to download the file from (same authentication); null until it has arrived.
    download: str | None

    @staticmethod
    def of(attachment: SubmissionAttachment, *, slug: str) -> "SubmissionAttachmentOut":
        received = attachment.state == AttachmentState.RECEIVED
        download = reverse(
            "api:download_submission_attachment",
            kwargs={
                "slug": slug,
                "submission_id": attachment.submission_id,
                "name": attachment.name,
            },
        )
        return SubmissionAttachmentOut(
            name=attachment.name,
            state=AttachmentState(attachment.state),
            size=attachment.size,
            sha256=attachment.sha256,
            md5=attachment.md5,
            content_type=attachment.content_type,
            image_ok=attachment.image_ok,
            image_problem=attachment.image_problem,
            download=download if received else None,
        )


class HouseholdChangeOut(Schema):
    """A household this submission created or updated, and the version it made."""

    household: str
    code: str
    village: str
    version: int
    conflict: str


class ReviewIn(Schema):
    state: Literal["approved", "has_issues", "rejected"]
    # Required for has_issues: it becomes the household's review note on the worker's phone.
    comment: str = ""


class SubmissionDetailOut(Schema):
    submission: SubmissionOut
    # The answers, typed by the form: groups flattened to `group/question`, repeats as lists.
    fields: dict[str, Any]
    supersedes: int | None
    superseded_by: int | None
    processed_at: datetime | None
    processing_error: str
    entity_error: str
    attachments: list[SubmissionAttachmentOut]
    flags: list[FlagOut]
    households: list[HouseholdChangeOut]
