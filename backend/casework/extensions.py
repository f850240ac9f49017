"""More time for a rectification item: the township or the county moves its deadline, with the
reason (the work plans set no limit on how often or how far: seed 001 asks only that each
problem has a deadline, 完成时限). The opening's deadline stays in the record; the item is due on
the latest extension's date, and overdue after it (docs/rectification.md)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.casework.access import require_deadline_granter
from backend.casework.deadlines import extended_deadline
from backend.casework.errors import CaseRecordInvalid, CaseRefused
from backend.casework.kinds import RECTIFY
from backend.casework.models import Case, CaseStep, DeadlineExtension, Kind
from backend.casework.requirements import MAX_TEXT
from backend.casework.services import lock_open_case
from backend.core import display


@transaction.atomic(durable=True)
def rectification_deadline_extend(
    *, case: Case, actor: User, deadline: date, reason: str
) -> DeadlineExtension:
    """Give the item's responsible party until `deadline`, saying why. Only while the item waits
    for its rectification, only later than the deadline it has, and only by the township or
    the county of its area."""
    case = lock_open_case(case)
    if case.kind != Kind.RECTIFICATION:
        raise CaseRefused(_("Only a rectification item has a deadline to extend."))
    require_deadline_granter(actor, case)
    if case.step != RECTIFY.code:
        raise CaseRefused(_("The deadline is extended while the item waits for its rectification."))
    reason = (reason or "").strip()
    if not reason:
        raise CaseRecordInvalid(_("Say why the deadline is extended."))
    if len(reason) > MAX_TEXT:
        raise CaseRecordInvalid(
            _("A text may have at most %(max)d characters.") % {"max": MAX_TEXT}
        )
    waiting = case.steps.get(decision="")
    current = current_deadline(case, waiting)
    if deadline <= current:
        raise CaseRecordInvalid(_("The new deadline must be later than the one the item has."))
    if deadline < timezone.localdate():
        raise CaseRecordInvalid(_("The deadline cannot be in the past."))
    extension = DeadlineExtension.objects.create(
        case=case, previous_deadline=current, deadline=deadline, reason=reason, granted_by=actor
    )
    waiting.due_on = deadline
    waiting.save(update_fields=["due_on", "updated_at"])
    case.due_on = deadline
    case.save(update_fields=["due_on", "updated_at"])
    return extension


def current_deadline(case: Case, waiting: CaseStep) -> date:
    """The deadline the item has now: the latest extension's, or the opening's."""
    extended = extended_deadline(case)
    if extended is not None:
        return extended
    return date.fromisoformat(str(waiting.record[RECTIFY.deadline]))


def extension_words(extension: DeadlineExtension) -> str:
    """The extension as the timeline says it: who gave how much more time, when, and why."""
    return _(
        "On %(day)s %(person)s extended the deadline from %(before)s to %(after)s: %(reason)s"
    ) % {
        "day": display.day(timezone.localdate(extension.created_at)),
        "person": extension.granted_by,
        "before": display.day(extension.previous_deadline),
        "after": display.day(extension.deadline),
        "reason": extension.reason,
    }
