"""Times as phones write them (ISO 8601 with an offset), read without trusting them."""

from datetime import datetime

from django.utils.dateparse import parse_datetime


def moment(value: object) -> datetime | None:
    """The moment a phone's answer names, or None for anything else: not text, not a time, or
    one that does not exist (February 30th, month 13, an offset of +25:00). The answer itself
    stays in the submission's fields; only what reads it as a time skips it."""
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
