"""Days as the pages, the API and the exports name them: in the server's time zone, where the
offices are."""

from datetime import date, datetime, time

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Midnight at the start of the day in the server's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
