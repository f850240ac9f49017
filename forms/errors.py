"""Errors of form publishing (codes documented in docs/errors.md)."""

from backend.core.errors import Conflict, DomainError, InvalidInput


class FormInvalid(InvalidInput):
    """The XLSForm or XForm could not be converted or read; details carry pyxform's message."""

    code = "form.invalid"


class FormTooLarge(DomainError):
    code = "form.too_large"
    status = 413


class FormVersionConflict(Conflict):
    """The same version string was published before with different content."""

    code = "form.version_conflict"


class AttachmentUnknown(InvalidInput):
    """An uploaded file is not referenced by the form."""

    code = "form.attachment_unknown"


class FormStateInvalid(InvalidInput):
    code = "form.state_invalid"
