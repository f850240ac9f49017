"""The casework's writes: a case opened (or a trigger joining the open one), a step's record
saved, a step decided. Each owns its transaction; the engine walks the tables of kinds.py.

- approve: the next step waits, with its due date in working days; after the last one the case
  is approved and the household changes (effects.py).
- return: the case goes back one level (kinds.return_target), the reason on the new pass of
  that step for the level below to read.
- reject: the case closes; the household stays as it is.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.accounts.models import User
from backend.casework.access import require_case_decider
from backend.casework.deadlines import step_due
from backend.casework.effects import case_effect_apply
from backend.casework.eligibility import casework_settings, elimination_blockers, opening_refusals
from backend.casework.errors import (
    CaseClosed,
    CaseRecordInvalid,
    CaseRefused,
    CaseStepIncomplete,
    CaseStepNotWaiting,
)
from backend.casework.kinds import KINDS, StepSpec, return_target, step_position, step_spec
from backend.casework.models import (
    STATUS_KINDS,
    Case,
    CaseState,
    CaseStep,
    CaseTrigger,
    Decision,
    Kind,
)
from backend.casework.phones import phone_note
from backend.casework.renovation_rules import (
    renovation_problems,
    renovation_step_approved,
    require_independent,
)
from backend.casework.requirements import (
    MAX_TEXT,
    approval_problems,
    clean_record,
    merged_record,
    require_notice_over,
)
from backend.casework.verification import require_records_verified
from backend.flags.models import Flag
from backend.households.models import Household
from backend.households.services import household_case_note_set
from backend.submissions.models import Submission


@dataclass(frozen=True)
class Trigger:
    """What asks for a case: a person, a visit's proposal or an open flag."""

    source: str
    code: str = ""
    submission: Submission | None = None
    flag: Flag | None = None
    actor: User | None = None


@transaction.atomic
def case_open(
    *, household: Household, kind: str, category: str = "", reason: str = "", trigger: Trigger
) -> Case:
    """Open a case of `kind` on the household, or, when one is open already, attach the trigger
    to it (once: a trigger already recorded changes nothing). CaseRefused says why the household
    cannot take this case now."""
    if kind not in STATUS_KINDS:
        raise CaseRecordInvalid(_("Unknown kind of case."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    recorded = _recorded(household, trigger)
    if recorded is not None:
        return recorded
    current = household.cases.filter(state=CaseState.OPEN, kind__in=STATUS_KINDS).first()
    if current is not None:
        _attach(current, kind, trigger)
        return current
    refusals = opening_refusals(household, kind, category)
    if refusals:
        raise CaseRefused(_("This case cannot be opened."), details=refusals)
    return case_create(
        Case(
            project_id=household.project_id,
            household=household,
            kind=kind,
            category=category,
            reason=_clean_text(reason),
            opened_by=trigger.actor,
        ),
        trigger,
        record={},
    )


def case_create(case: Case, trigger: Trigger, *, record: dict[str, object]) -> Case:
    """Save a new case, waiting at its kind's first step with this record, and its trigger (the
    caller holds the transaction and has checked who may open it)."""
    first = KINDS[case.kind].steps[0]
    # An open case waits at a step (a check constraint); _enter adds its pass and due date.
    case.step, case.level = first.code, first.level
    case.save()
    _attach(case, case.kind, trigger)
    _enter(case, first, timezone.localdate(), record, returned_by=None)
    return case


@transaction.atomic(durable=True)
def case_step_record(*, case: Case, actor: User, values: dict[str, object]) -> CaseStep:
    """Save values of the waiting step's record (an empty value removes one)."""
    case = open_case_locked(case, actor)
    row = _waiting(case)
    spec = step_spec(case.kind, row.step)
    row.record = merged_record(row.record, _cleaned(spec, row, values))
    row.due_on = step_due(spec, row.started_on, row.record)
    row.save(update_fields=["record", "due_on", "updated_at"])
    case.due_on = row.due_on
    case.save(update_fields=["due_on", "updated_at"])
    return row


@transaction.atomic(durable=True)
def case_step_decide(
    *,
    case: Case,
    actor: User,
    decision: str,
    comment: str = "",
    values: dict[str, object] | None = None,
    step: str = "",
) -> Case:
    """Decide the waiting step: approve it, return the case one level down, or reject it.
    `step`, when given, is the step the caller means: another one waiting is refused (a
    renovation's stages are recorded in their order)."""
    case = open_case_locked(case, actor)
    row = _waiting(case)
    spec = step_spec(case.kind, row.step)
    if step and step != row.step:
        raise CaseStepNotWaiting(_not_waiting(case.kind, step, spec))
    require_independent(case, spec, actor)
    if values:
        row.record = merged_record(row.record, _cleaned(spec, row, values))
    comment = _clean_text(comment)
    today = timezone.localdate()
    if decision == Decision.APPROVE:
        _check_approval(case, row, spec, today)
    elif decision in (Decision.RETURN, Decision.REJECT):
        if not comment:
            raise CaseRecordInvalid(_("Say why the case is returned or rejected."))
    else:
        raise CaseRecordInvalid(_("Unknown decision."))
    target = return_target(case.kind, spec.code) if decision == Decision.RETURN else None
    if decision == Decision.RETURN and target is None:
        raise CaseRecordInvalid(_("The first step has nothing to return to: reject the case."))
    row.decision, row.comment, row.actor, row.decided_at = decision, comment, actor, timezone.now()
    row.save(update_fields=["record", "decision", "comment", "actor", "decided_at", "updated_at"])
    if decision == Decision.APPROVE:
        renovation_step_approved(case, spec, row, today)
        _advance(case, spec, actor, today)
    elif target is not None:
        _enter(case, target, today, _last_record(case, target), returned_by=row)
    else:
        _close(case, CaseState.REJECTED)
    return case


@transaction.atomic
def case_step_pass(*, case: Case, comment: str, values: dict[str, object]) -> Case:
    """Approve the waiting step of a rectification item or a renovation on the system's word (a
    later visit found the problem gone, or recorded the stage the renovation waits at): no
    actor, no requirement asked; the next step, a person's, waits. The caller holds the
    household's lock (the pipeline's merge)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("household").get(pk=case.pk)
    if case.state != CaseState.OPEN or case.kind in STATUS_KINDS:
        raise CaseClosed(_("The case is closed."))
    row = _waiting(case)
    spec = step_spec(case.kind, row.step)
    row.record = merged_record(row.record, clean_record(spec, values))
    row.decision, row.comment, row.decided_at = Decision.APPROVE, comment, timezone.now()
    row.save(update_fields=["record", "decision", "comment", "decided_at", "updated_at"])
    renovation_step_approved(case, spec, row, timezone.localdate())
    _advance(case, spec, None, timezone.localdate())
    return case


def _not_waiting(kind: str, asked: str, waiting: StepSpec) -> str:
    try:
        asked_label = str(step_spec(kind, asked).label)
    except KeyError:
        return _("This kind of case has no such step.")
    return _(
        "The case waits at %(waiting)s: %(asked)s cannot be recorded before it, the steps go "
        "in their order."
    ) % {"waiting": waiting.label, "asked": asked_label}


def _cleaned(spec: StepSpec, row: CaseStep, values: dict[str, object]) -> dict[str, object]:
    """The values as stored; a deadline recorded when the item opened stays as it was: the
    responsible party does not move its own deadline."""
    cleaned = clean_record(spec, values)
    if spec.deadline in cleaned and row.record.get(spec.deadline) not in (
        None,
        cleaned[spec.deadline],
    ):
        raise CaseRecordInvalid(_("The deadline is set when the item is opened."))
    return cleaned


def _check_approval(case: Case, row: CaseStep, spec: StepSpec, today: date) -> None:
    notice_days = casework_settings(case.project).notice_min_days
    documents = list(
        case.attachments.filter(step=spec.code).values_list("role", "signer_role").distinct()
    )
    problems = approval_problems(spec, row, documents, notice_days)
    if problems:
        raise CaseStepIncomplete(_("The step cannot be approved yet."), details=problems)
    require_notice_over(case, spec, today)
    require_records_verified(case, spec.code)
    renovation_problems(case, spec, row)
    if case.kind == Kind.ELIMINATION and case.household is not None:
        blockers = elimination_blockers(case.household)
        if blockers:
            raise CaseRefused(_("The household's risk cannot be eliminated now."), details=blockers)


def _advance(case: Case, spec: StepSpec, actor: User | None, today: date) -> None:
    steps = KINDS[case.kind].steps
    position = step_position(case.kind, spec.code)
    if position + 1 < len(steps):
        _enter(case, steps[position + 1], today, {}, returned_by=None)
        return
    _close(case, CaseState.APPROVED)
    if case.kind in STATUS_KINDS and actor is not None:
        case.household_version = case_effect_apply(case, actor, today)
        case.save(update_fields=["household_version", "updated_at"])


def _enter(
    case: Case,
    spec: StepSpec,
    today: date,
    record: dict[str, object],
    *,
    returned_by: CaseStep | None,
) -> CaseStep:
    """The case now waits at this step, from today."""
    row = CaseStep.objects.create(
        case=case,
        step=spec.code,
        level=spec.level,
        started_on=today,
        due_on=step_due(spec, today, record),
        record=record,
        returned_by=returned_by,
    )
    case.step, case.level, case.due_on = spec.code, spec.level, row.due_on
    case.save(update_fields=["step", "level", "due_on", "updated_at"])
    _note(case, phone_note(case))
    return row


def _close(case: Case, state: str) -> None:
    case.state, case.step, case.level, case.due_on = state, "", "", None
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "step", "level", "due_on", "closed_at", "updated_at"])
    _note(case, "")


def _note(case: Case, note: str) -> None:
    """The phones show the household's status case (rectification items are the offices')."""
    if case.kind in STATUS_KINDS and case.household is not None:
        household_case_note_set(household=case.household, note=note)


def _last_record(case: Case, spec: StepSpec) -> dict[str, object]:
    """The record of the step's last pass, for the pass a return opens: nobody types it again."""
    last = case.steps.filter(step=spec.code).order_by("-created_at", "-id").first()
    return dict(last.record) if last else {}


def open_case_locked(case: Case, actor: Actor) -> Case:
    """The case, locked, if it is open and the actor decides its waiting step.

    The household is locked first, in the order the pipeline locks them (a visit merged into
    the household, then its case triggered), so a decision and a visit wait for each other
    instead of deadlocking."""
    if case.household_id is not None:
        list(Household.objects.select_for_update().filter(pk=case.household_id).values_list("pk"))
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("household", "village", "project")
        .get(pk=case.pk)
    )
    if locked.state != CaseState.OPEN:
        raise CaseClosed(_("The case is closed."))
    require_case_decider(actor, locked)
    return locked


def _waiting(case: Case) -> CaseStep:
    return case.steps.get(decision="")


def _recorded(household: Household, trigger: Trigger) -> Case | None:
    """The case this trigger was already recorded on, if it was."""
    found = CaseTrigger.objects.select_related("case")
    if trigger.flag is not None:
        row = found.filter(flag=trigger.flag).first()
    elif trigger.submission is not None:
        row = found.filter(
            case__household=household, submission=trigger.submission, code=trigger.code
        ).first()
    else:
        return None
    return row.case if row else None


def _attach(case: Case, kind: str, trigger: Trigger) -> CaseTrigger:
    return CaseTrigger.objects.create(
        case=case,
        source=trigger.source,
        kind=kind,
        code=trigger.code,
        submission=trigger.submission,
        flag=trigger.flag,
        actor=trigger.actor,
    )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise CaseRecordInvalid(
            _("A text may have at most %(max)d characters.") % {"max": MAX_TEXT}
        )
    return text
