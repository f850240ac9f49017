from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.flags.catalogue import FLAGS
from backend.flags.models import Flag, FlagState
from backend.households.models import Household
from backend.submissions.models import Submission


def flag_open(
    *, household: Household, code: str, evidence: dict[str, object], submission: Submission | None
) -> Flag | None:
    """Open the flag unless one with this code is already open (then return None)."""
    if household.flags.filter(code=code, state=FlagState.OPEN).exists():
        return None
    try:
        with transaction.atomic():
            return Flag.objects.create(
                project_id=household.project_id,
                household=household,
                submission=submission,
                code=code,
                severity=FLAGS[code][0],
                evidence=evidence,
            )
    except IntegrityError:
        return None  # another worker opened it a moment ago


def flag_close(*, flag: Flag, submission: Submission | None) -> None:
    """Close a flag whose condition no longer holds, naming the submission that showed it."""
    flag.state, flag.closed_at, flag.closed_by_submission = (
        FlagState.CLOSED,
        timezone.now(),
        submission,
    )
    flag.save(update_fields=["state", "closed_at", "closed_by_submission", "updated_at"])


@transaction.atomic
def flag_clear(*, flag: Flag, actor: User, note: str) -> Flag:
    """A supervisor closes a flag by hand, saying why."""
    flag.state, flag.closed_at, flag.cleared_by, flag.note = (
        FlagState.CLOSED,
        timezone.now(),
        actor,
        note,
    )
    flag.save(update_fields=["state", "closed_at", "cleared_by", "note", "updated_at"])
    return flag
