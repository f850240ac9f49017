"""Schemas every API router shares: the error body and the statuses each operation may answer."""

from ninja import Schema


class ErrorOut(Schema):
    """Every refusal: a stable code (docs/errors.md), a message in the user's language, details."""

    code: str
    message: str
    details: list[str]


# What any operation behind authentication may answer besides success: bad input (400), no or
# wrong credentials (401), a role too low (403), missing or not yours (404), a request that does
# not match the schema (422).
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
