"""Dangerous-house renovations: a kind of case (kinds.py: appraisal → plan → before → during
→ after → township acceptance → county acceptance) with its own row (renovation_models.py): the
priority groups, the move-in and its deadline, the subsidy. docs/renovation.md.

The offices decide the steps through the engine (services.py); a stage is recorded in its order
(`renovation_stage_record`), and the subsidy is paid only after the county accepted the works.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.areas.models import Level
from backend.casework.access import case_levels, require_case_worker, require_household_case_worker
from backend.casework.errors import CaseRecordInvalid, CaseRefused, RenovationNotAccepted
from backend.casework.kinds import step_position
from backend.casework.models import Case, CaseState, Kind, TriggerSource
from backend.casework.renovation_models import PriorityGroup, Renovation
from backend.casework.services import Trigger, case_create, case_step_decide
from backend.core.errors import PermissionDenied
from backend.households.models import Category, Household

# 建档立卡: the registered poor, those lifted out and the unstable lifted out.
_REGISTERED = (Category.REGISTERED_POOR, Category.EXITED, Category.MONITOR_UNSTABLE)
_STAGES = ("before", "during", "after")
_LARGEST_SUBSIDY = Decimal("1000000")


def priority_groups(household: Household) -> list[str]:
    """The four priority groups the household is in (seed 000: 4类重点对象)."""
    props = household.properties or {}
    held = {
        PriorityGroup.REGISTERED: household.category in _REGISTERED,
        PriorityGroup.DIBAO: props.get("dibao") == "yes",
        PriorityGroup.EXTREME_POOR: props.get("extreme_poor") == "yes",
        PriorityGroup.DISABLED: props.get("has_disabled") == "yes",
    }
    return [str(group) for group, yes in held.items() if yes]


def renovation_create(
    household: Household, trigger: Trigger, *, record: dict[str, object]
) -> tuple[Case, bool]:
    """The household's open renovation, or a new one at its appraisal with this record (the
    caller holds the household's lock and has checked who opens it)."""
    current = household.cases.filter(kind=Kind.RENOVATION, state=CaseState.OPEN).first()
    if current is not None:
        return current, False
    case = case_create(
        Case(
            project_id=household.project_id,
            household=household,
            kind=Kind.RENOVATION,
            opened_by=trigger.actor,
        ),
        trigger,
        record=record,
    )
    Renovation.objects.create(case=case, priority_groups=priority_groups(household))
    return case, True


@transaction.atomic(durable=True)
def renovation_open(*, household: Household, actor: User, reason: str = "") -> tuple[Case, bool]:
    """Open the household's renovation by hand (the offices of its area); the household's open
    one is given back instead of a second."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    require_household_case_worker(actor, household)
    case, opened = renovation_create(
        household, Trigger(TriggerSource.PERSON, code="renovation", actor=actor), record={}
    )
    if opened and reason.strip():
        case.reason = reason.strip()[:4000]
        case.save(update_fields=["reason", "updated_at"])
    return case, opened


def renovation_stage_record(
    *, case: Case, actor: User, stage: str, values: dict[str, object]
) -> Case:
    """Record and approve one stage (before, during, after) of the renovation: refused when the
    renovation waits at another step (the stages go in their order)."""
    if case.kind != Kind.RENOVATION:
        raise CaseRecordInvalid(_("This case is not a renovation."))
    if stage not in _STAGES:
        raise CaseRecordInvalid(_("Unknown stage of a renovation."))
    return case_step_decide(case=case, actor=actor, decision="approve", values=values, step=stage)


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    paid_on: date


@transaction.atomic(durable=True)
def renovation_pay(*, case: Case, actor: User, payment: Payment) -> Renovation:
    """Record the subsidy paid to the household: by the county, and only once the county has
    accepted the works (seed 001: 验收合格后拨付补助资金)."""
    renovation = _locked(case)
    case = renovation.case
    if not case_levels(actor, case.project).holds(Level.COUNTY, case.village_id_of):
        raise PermissionDenied(_("The county records the subsidy's payment."))
    if case.state != CaseState.APPROVED:
        raise RenovationNotAccepted(
            _("The subsidy is paid only after the county has accepted the renovation.")
        )
    if renovation.paid_on is not None:
        raise CaseRefused(_("The subsidy is paid already."))
    if not Decimal(0) < payment.amount < _LARGEST_SUBSIDY:
        raise CaseRecordInvalid(_("The subsidy is an amount above zero."))
    if payment.paid_on > timezone.localdate():
        raise CaseRecordInvalid(_("The payment date cannot be in the future."))
    renovation.subsidy_amount, renovation.paid_on = payment.amount, payment.paid_on
    renovation.paid_by = actor
    renovation.save(update_fields=["subsidy_amount", "paid_on", "paid_by"])
    return renovation


@transaction.atomic(durable=True)
def renovation_move_in(*, case: Case, actor: User, moved_in_on: date) -> Renovation:
    """Record the day the household moved into its renovated house: once the works are done
    (the after stage passed), by the offices of its area."""
    renovation = _locked(case)
    case = renovation.case
    require_case_worker(actor, case)
    if not works_done(case):
        raise RenovationNotAccepted(
            _("The household moves in once the works are done and inspected.")
        )
    if moved_in_on > timezone.localdate():
        raise CaseRecordInvalid(_("The move-in date cannot be in the future."))
    renovation.moved_in_on = moved_in_on
    renovation.save(update_fields=["moved_in_on"])
    return renovation


def works_done(case: Case) -> bool:
    """Whether the after stage passed (the case waits at an acceptance or is approved)."""
    if case.state == CaseState.APPROVED:
        return True
    if case.state != CaseState.OPEN:
        return False
    return step_position(Kind.RENOVATION, case.step) > step_position(Kind.RENOVATION, "after")


def _locked(case: Case) -> Renovation:
    if case.kind != Kind.RENOVATION:
        raise CaseRecordInvalid(_("This case is not a renovation."))
    return (
        Renovation.objects.select_for_update(of=("self",))
        .select_related("case", "case__project", "case__household")
        .get(case_id=case.pk)
    )
