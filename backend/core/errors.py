"""The catalogue of domain errors: each has a stable dotted code and an HTTP status.

Services raise these; the JSON API and the OpenRosa layer render the same exception in their own
envelope with the same status. The codes are part of the API contract (docs/errors.md).
"""

from typing import ClassVar

from django.utils.functional import Promise


class DomainError(Exception):
    """A refusal a user can act on, with a message in their language."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400

    def __init__(self, message: str | Promise, *, details: list[str] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """The object does not exist, or the actor may not see it: the two are never told apart."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""

    code = "permission_denied"
    status = 403


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400


class Conflict(DomainError):
    code = "conflict"
    status = 409
