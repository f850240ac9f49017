"""Objections to a case's public notice: recorded as they come in, each handled with a note.

Any level that decides on the household records and handles them (people object to the village,
the township or the county alike). While one is not handled, the steps that wait for the notice
are not approved; an upheld one leaves only a return or a rejection (requirements.py).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.casework.access import require_case_worker
from backend.casework.errors import CaseClosed, CaseRecordInvalid
from backend.casework.kinds import notice_step
from backend.casework.models import Case, CaseState, CaseStep, NoticeObjection, Outcome
from backend.casework.requirements import MAX_TEXT


@transaction.atomic(durable=True)
def notice_objection_record(
    *, case: Case, actor: User, received_on: date, text: str, raised_by: str = ""
) -> NoticeObjection:
    """Record an objection to the case's notice, against its latest posting."""
    case = _workable(case, actor)
    notice = _posted_notice(case)
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise CaseRecordInvalid(
            _("Write the objection (at most %(max)d characters).") % {"max": MAX_TEXT}
        )
    if received_on > timezone.localdate():
        raise CaseRecordInvalid(_("An objection cannot be received in the future."))
    return NoticeObjection.objects.create(
        case=case,
        notice=notice,
        received_on=received_on,
        raised_by=(raised_by or "").strip()[:100],
        text=text,
        recorded_by=actor,
    )


@transaction.atomic(durable=True)
def notice_objection_resolve(
    *, objection: NoticeObjection, actor: User, outcome: str, note: str
) -> NoticeObjection:
    """Say what was made of an objection: upheld or dismissed, and why."""
    _workable(objection.case, actor)
    objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.outcome != Outcome.PENDING:
        raise CaseRecordInvalid(_("This objection has been handled already."))
    if outcome not in (Outcome.UPHELD, Outcome.DISMISSED):
        raise CaseRecordInvalid(_("An objection is upheld or dismissed."))
    note = (note or "").strip()
    if not note or len(note) > MAX_TEXT:
        raise CaseRecordInvalid(_("Say how the objection was handled."))
    objection.outcome, objection.outcome_note = outcome, note
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.save(
        update_fields=["outcome", "outcome_note", "resolved_by", "resolved_at", "updated_at"]
    )
    return objection


def _workable(case: Case, actor: User) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("household", "village", "project")
        .get(pk=case.pk)
    )
    if locked.state != CaseState.OPEN:
        raise CaseClosed(_("The case is closed."))
    require_case_worker(actor, locked)
    return locked


def _posted_notice(case: Case) -> CaseStep:
    """The latest pass of the case's notice step, once the notice's start is recorded."""
    spec = notice_step(case.kind)
    last = (
        case.steps.filter(step=spec.code).order_by("-created_at", "-id").first() if spec else None
    )
    if last is None or not last.record.get("notice_starts_on"):
        raise CaseRecordInvalid(_("The case has no public notice posted yet."))
    return last
