"""A village's public notice: the cases it lists, and the approval of several of its notice
steps at once.

The printed notice shows who, where, which category and why; never an ID number, a phone
number or a word about health: it is posted on the village's board. Its reason is the kind of
case, not the case's own reason, which people type freely and may name an illness.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.casework.access import access_case_by_id, case_levels, cases_for_actor
from backend.casework.deadlines import notice_end
from backend.casework.errors import CaseRecordInvalid
from backend.casework.kinds import KINDS
from backend.casework.models import Case, CaseState, CaseStep, Decision, Kind
from backend.casework.services import case_step_decide
from backend.casework.timeline import category_label
from backend.core.errors import DomainError, NotFound
from backend.projects.models import Project

# The steps that hold a village's public notice (village_notice, village_appraisal_notice).
NOTICE_STEPS = frozenset(spec.code for kind in KINDS.values() for spec in kind.steps if spec.notice)
# One bulk approval decides at most this many cases (a village's notice lists a few dozen).
MAX_BULK = 200


@dataclass(frozen=True)
class NoticeLine:
    """One household on the village's notice, and whether the reader approves its step."""

    case: Case
    name: str  # the head of the household
    label: str  # the household as the supervisors' pages name it
    village: str
    category: str
    reason: str
    starts_on: date | None
    ends_on: date | None
    may_decide: bool


def notice_lines(*, actor: Actor, project: Project, village: Area) -> list[NoticeLine]:
    """The village's open cases whose notice is being prepared or is up (their waiting step
    holds the notice), by name."""
    cases = list(
        cases_for_actor(actor=actor, project=project)
        .filter(state=CaseState.OPEN, step__in=sorted(NOTICE_STEPS), household__village=village)
        .select_related("household", "household__village")
    )
    waiting = {
        row.case_id: row
        for row in CaseStep.objects.filter(case__in=[case.pk for case in cases], decision="")
    }
    decides = case_levels(actor, project).holds(Level.VILLAGE, village.pk)
    lines = [_line(case, waiting[case.pk], decides=decides) for case in cases]
    return sorted(lines, key=lambda line: (line.name, line.case.pk))


def _line(case: Case, row: CaseStep, *, decides: bool) -> NoticeLine:
    starts = row.record.get("notice_starts_on")
    household = case.household
    assert household is not None  # a notice step is a status case's, on a household
    return NoticeLine(
        case=case,
        name=household.head_name,
        label=household.label,
        village=household.village.name,
        category=category_label(case.category or household.category),
        reason=str(Kind(case.kind).label),
        starts_on=date.fromisoformat(starts) if isinstance(starts, str) else None,
        ends_on=notice_end(row.record),
        may_decide=decides and case.level == Level.VILLAGE,
    )


@dataclass
class BulkOutcome:
    """Which cases a bulk approval approved, and which it could not, each with why."""

    approved: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def notice_cases_approve(
    *, actor: User, project: Project, village: Area, case_ids: list[str], comment: str = ""
) -> BulkOutcome:
    """Approve the notice step of each of these cases of the village. Each runs in its own
    transaction (case_step_decide): a refused one leaves the others approved."""
    outcome = BulkOutcome()
    for case_id in list(dict.fromkeys(case_ids))[:MAX_BULK]:
        try:
            case = access_case_by_id(actor, project, case_id)
        except NotFound as exc:
            outcome.refused.append((_("Case %(id)s") % {"id": case_id}, str(exc)))
            continue
        try:
            _require_on_notice(case, village)
            case_step_decide(case=case, actor=actor, decision=Decision.APPROVE, comment=comment)
        except DomainError as exc:
            why = " ".join([str(exc), *exc.details])
            outcome.refused.append((case.subject_label, why))
            continue
        outcome.approved.append(case.subject_label)
    return outcome


def _require_on_notice(case: Case, village: Area) -> None:
    if case.step not in NOTICE_STEPS or case.village_id_of != village.pk:
        raise CaseRecordInvalid(_("The case is not on this village's notice list."))
