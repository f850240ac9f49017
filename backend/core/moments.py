"""Times as phones write them (ISO 8601 with an offset), read without trusting them."""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def moment(value: object) -> datetime | None:
    """The moment a phone's answer names, or None for anything else: not text, not a time, or
    one that does not exist (February 30th, month 13, an offset of +25:00) or that falls
    outside the years 1 to 9999 in UTC. The answer itself stays in the submission's fields;
    only what reads it as a time skips it."""
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None or not _fits_in_utc(parsed):
        return None
    return parsed


def _fits_in_utc(when: datetime) -> bool:
    """Whether the moment is a datetime in UTC too. 0001-01-01T00:00+14:00 is in year 0 in
    UTC: PostgreSQL stores it (1 BC), and then every read of the row fails in Python."""
    aware = when if timezone.is_aware(when) else timezone.make_aware(when)
    try:
        aware.astimezone(UTC)
    except OverflowError:
        return False
    return True
