"""Visits overdue: a household not visited within its project's cadence (a periodic job)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from backend.flags.models import FlagState
from backend.flags.services import flag_close, flag_open
from backend.households.models import Household
from backend.submissions.models import Submission

CODE = "visit_overdue"


def overdue_visits_check() -> tuple[int, int]:
    """Open the flag on overdue households, close it on visited ones; return (opened, closed)."""
    now, opened, closed = timezone.now(), 0, 0
    households = Household.objects.select_related("project").iterator(chunk_size=2000)
    for household in households:
        with transaction.atomic():
            opened_now, closed_now = _check(household, now)
        opened, closed = opened + opened_now, closed + closed_now
    return opened, closed


def overdue_closed_by_visit(household: Household, submission: Submission) -> bool:
    """The visit that met the household closes its overdue flag at once, naming the visit (not
    the next periodic check, anonymously)."""
    return _check(household, timezone.now(), submission=submission)[1] == 1


def _check(
    household: Household, now: datetime, *, submission: Submission | None = None
) -> tuple[int, int]:
    cadence = household.project.visit_cadence_days
    seen = household.last_visit_at or household.created_at
    flag = household.flags.filter(code=CODE, state=FlagState.OPEN).first()
    if now - seen <= timedelta(days=cadence):
        if flag is None:
            return 0, 0
        flag_close(flag=flag, submission=submission)
        return 0, 1
    if submission is not None:
        return 0, 0  # a visit opens no overdue flag: the periodic check does
    if flag is not None:
        return 0, 0
    evidence = {"last_visit": seen.date().isoformat(), "cadence_days": cadence}
    created = flag_open(household=household, code=CODE, evidence=evidence, submission=None)
    return (1 if created else 0), 0
