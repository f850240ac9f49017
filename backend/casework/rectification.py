"""Rectification items: a problem found on a household (one of its flags) or in a village (a
road, a water works, a clinic) given a measure, a responsible unit and person and a deadline
(seed 001: 明确目标任务、标准要求、完成时限、责任人员), then checked by the township and again by
the county before it is struck off (经乡镇初核,县级核查组进行复核). A kind of case: its steps
are in kinds.py and the engine (services.py) decides them; docs/rectification.md.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.casework.access import require_household_case_worker, require_village_case_worker
from backend.casework.errors import CaseRecordInvalid, CaseRefused
from backend.casework.kinds import RECTIFY
from backend.casework.models import Case, CaseState, CaseTrigger, Kind, TriggerSource
from backend.casework.requirements import MAX_TEXT, clean_record
from backend.casework.services import Trigger, case_create, case_step_pass
from backend.flags.models import Flag, FlagState
from backend.households.models import Household
from backend.projects.models import Department, Project
from backend.submissions.models import Submission

# The trigger a visit that found the problem gone leaves on the item: once per visit.
PROBLEM_GONE = "problem_gone"


@dataclass(frozen=True)
class Assignment:
    """Who does what by when: the opening's record of the rectification step."""

    measure: str
    responsible_unit: str
    responsible_person: str
    deadline: date
    # The line department the item is handed to ("" for none: a township, a village, a helper).
    department: str = ""

    def record(self) -> dict[str, object]:
        missing = [
            label
            for label, value in (
                (_("Rectification measure"), self.measure),
                (_("Responsible unit"), self.responsible_unit),
                (_("Responsible person"), self.responsible_person),
            )
            if not (value or "").strip()
        ]
        if missing:
            raise CaseRecordInvalid(
                _("A rectification item says what is done, by whom and by when."),
                details=[_("Missing: %(field)s.") % {"field": label} for label in missing],
            )
        if self.department and self.department not in Department.values:
            raise CaseRecordInvalid(_("Unknown department."))
        if self.deadline < timezone.localdate():
            raise CaseRecordInvalid(_("The deadline cannot be in the past."))
        values: dict[str, object] = {
            "measure": self.measure,
            "responsible_unit": self.responsible_unit,
            "responsible_person": self.responsible_person,
            "deadline": self.deadline.isoformat(),
        }
        return clean_record(RECTIFY, values)


@transaction.atomic(durable=True)
def rectification_open_for_flag(
    *, flag: Flag, actor: User, assignment: Assignment, note: str = ""
) -> tuple[Case, bool]:
    """Open the rectification item of a household's open flag (one per flag: a flag that has
    one already gives it back); the item and whether it is new. The village, township and
    county offices of the household's area open items."""
    if flag.household_id is None or flag.subject:
        raise CaseRecordInvalid(_("Only a problem found on a household becomes an item."))
    household = Household.objects.select_for_update().get(pk=flag.household_id)
    require_household_case_worker(actor, household)
    existing = Case.objects.filter(flag=flag).first()
    if existing is not None:
        return existing, False
    flag.refresh_from_db(fields=["state"])
    if flag.state != FlagState.OPEN:
        raise CaseRefused(_("The problem is closed already: there is nothing to rectify."))
    record = assignment.record()
    case = case_create(
        Case(
            project_id=household.project_id,
            household=household,
            kind=Kind.RECTIFICATION,
            flag=flag,
            department=assignment.department,
            reason=_text(note, required=False),
            opened_by=actor,
        ),
        Trigger(TriggerSource.PERSON, code=flag.code, actor=actor),
        record=record,
    )
    return case, True


@transaction.atomic(durable=True)
def rectification_open_for_village(
    *,
    project: Project,
    village: Area,
    actor: User | None,
    problem: str,
    assignment: Assignment,
    submission: Submission | None = None,
) -> Case:
    """Open a rectification item about a village itself (its roads, water works, clinic: seed
    000, 基础设施、公共服务滑坡), by a person of the village's offices."""
    return village_item_open(
        project=project,
        village=village,
        actor=actor,
        problem=problem,
        assignment=assignment,
        submission=submission,
    )


def village_item_open(
    *,
    project: Project,
    village: Area,
    actor: User | None,
    problem: str,
    assignment: Assignment,
    submission: Submission | None = None,
    trigger_code: str = "village_problem",
) -> Case:
    """Open a village's item in the caller's transaction: by a person of the village's offices,
    or, with no actor, by the village look-back form the pipeline reads (village_review.py)."""
    if village.level != Level.VILLAGE:
        raise CaseRecordInvalid(_("A village's item is opened on a village."))
    if actor is not None:
        require_village_case_worker(actor, project, village.pk)
    source = TriggerSource.PERSON if actor is not None else TriggerSource.VISIT
    return case_create(
        Case(
            project=project,
            village=village,
            kind=Kind.RECTIFICATION,
            department=assignment.department,
            reason=_text(problem, required=True),
            opened_by=actor,
        ),
        Trigger(source, code=trigger_code, submission=submission, actor=actor),
        record=assignment.record(),
    )


def household_rectifications_follow(*, household: Household, submission: Submission) -> list[Case]:
    """The household's items whose problem this visit found gone (the rules closed their flag
    naming it) pass from the responsible party to the township's first check: never straight
    to struck off. Run after the rules, in the merge's transaction; once per visit."""
    items = household.cases.filter(
        kind=Kind.RECTIFICATION,
        state=CaseState.OPEN,
        step=RECTIFY.code,
        flag__state=FlagState.CLOSED,
        flag__closed_by_submission=submission,
    ).exclude(triggers__code=PROBLEM_GONE, triggers__submission=submission)
    return items_found_gone(items, submission, comment=_gone_note(submission))


def items_found_gone(items: Iterable[Case], submission: Submission, *, comment: str) -> list[Case]:
    """Pass each item to the township's check, the visit that found its problem gone recorded as
    a trigger (which also keeps the same visit from passing it twice)."""
    moved = []
    for case in items:
        CaseTrigger.objects.create(
            case=case,
            source=TriggerSource.VISIT,
            kind=Kind.RECTIFICATION,
            code=PROBLEM_GONE,
            submission=submission,
        )
        moved.append(case_step_pass(case=case, comment=comment, values={}))
    return moved


def _gone_note(submission: Submission) -> str:
    """The pass's comment, in the project's language (the offices read it)."""
    seen = timezone.localdate(submission.ended_at or submission.created_at)
    with translation.override(settings.LANGUAGE_CODE):
        return _("A visit on %(date)s found the problem gone; the township checks it.") % {
            "date": formats.date_format(seen, "DATE_FORMAT")
        }


def _text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise CaseRecordInvalid(_("Describe the problem."))
    if len(text) > MAX_TEXT:
        raise CaseRecordInvalid(
            _("A text may have at most %(max)d characters.") % {"max": MAX_TEXT}
        )
    return text
