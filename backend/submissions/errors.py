"""Refusals of submission intake (codes documented in docs/errors.md)."""

from backend.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class SubmissionInvalid(InvalidInput):
    code = "submission.invalid"


class SubmissionTooLarge(DomainError):
    code = "submission.too_large"
    status = 413


class SubmissionFormNotFound(NotFound):
    code = "submission.form_not_found"


class SubmissionVersionNotFound(NotFound):
    code = "submission.version_not_found"


class FormClosed(Conflict):
    code = "form.closed"


class SubmissionConflict(Conflict):
    """Same instanceID with different XML, or a superseded version sent again."""

    code = "submission.conflict"


class AttachmentConflict(Conflict):
    """A file was sent again under the same name with different bytes: never replaced silently."""

    code = "submission.attachment_conflict"


class DeprecatedNotFound(NotFound):
    code = "submission.deprecated_not_found"


class SubmissionNotYours(PermissionDenied):
    """An edit or a retry of a submission its sender could not edit: nothing is changed."""

    code = "submission.not_yours"
