"""The casework's JSON shapes (backend/casework/api.py)."""

from datetime import date, datetime
from typing import Any, Literal, cast

from django.utils import timezone
from ninja import Field, Schema

from backend.areas.models import Area
from backend.casework.kinds import step_spec
from backend.casework.ledger import LedgerRow, ledger_row
from backend.casework.models import Case, CaseAttachment, CaseStep, CaseTrigger
from backend.casework.requirements import MAX_TEXT


class CaseOut(Schema):
    id: int
    kind: str
    kind_label: str
    # The category an approval gives the household ("" for an elimination).
    category: str
    state: str
    # The step waiting for a decision, its level and due date (empty once the case is closed).
    step: str
    step_label: str
    level: str
    due_on: date | None
    # Empty for a village's own rectification item.
    household: str
    household_code: str
    household_label: str
    village: str
    village_name: str
    # The department a rectification item is handed to ("" for none).
    department: str
    department_label: str
    opened_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_kind_label(case: Case) -> str:
        return str(case.get_kind_display())

    @staticmethod
    def resolve_step_label(case: Case) -> str:
        return str(step_spec(case.kind, case.step).label) if case.step else ""

    @staticmethod
    def resolve_household(case: Case) -> str:
        return str(case.household.uuid) if case.household else ""

    @staticmethod
    def resolve_household_code(case: Case) -> str:
        return case.household.code if case.household else ""

    @staticmethod
    def resolve_household_label(case: Case) -> str:
        return case.household.label if case.household else ""

    @staticmethod
    def resolve_village(case: Case) -> str:
        return _village(case).code

    @staticmethod
    def resolve_village_name(case: Case) -> str:
        return _village(case).name

    @staticmethod
    def resolve_department_label(case: Case) -> str:
        return str(case.get_department_display()) if case.department else ""

    @staticmethod
    def resolve_opened_at(case: Case) -> datetime:
        return case.created_at


def _village(case: Case) -> Area:
    village = case.household.village if case.household else case.village
    assert village is not None  # a check constraint: a household or a village
    return village


class WaitingCaseOut(CaseOut):
    overdue: bool
    # Listed only because it is overdue at the level below the caller's.
    escalated: bool


class ListedCaseOut(CaseOut):
    overdue: bool


class CaseFiltersIn(Schema):
    state: Literal["", "open", "approved", "rejected"] = ""
    level: Literal["", "village", "township", "county"] = ""
    kind: Literal[
        "",
        "inclusion",
        "elimination",
        "return_to_poverty",
        "category_change",
        "rectification",
        "renovation",
    ] = ""
    # A village's code.
    village: str = Field("", max_length=64)
    overdue: bool = False


class StepOut(Schema):
    step: str
    label: str
    level: str
    started_on: date
    due_on: date
    record: dict[str, Any]
    decision: str
    comment: str
    decided_by: str | None
    decided_at: datetime | None
    # Why the level above sent the case back to this step ("" when it did not).
    returned_reason: str

    @staticmethod
    def resolve_label(row: CaseStep) -> str:
        return str(step_spec(row.case.kind, row.step).label)

    @staticmethod
    def resolve_decided_by(row: CaseStep) -> str | None:
        return str(row.actor) if row.actor else None

    @staticmethod
    def resolve_returned_reason(row: CaseStep) -> str:
        return row.returned_by.comment if row.returned_by else ""


class TriggerOut(Schema):
    source: str
    kind: str
    code: str
    at: datetime

    @staticmethod
    def resolve_at(trigger: CaseTrigger) -> datetime:
        return trigger.created_at


class ObjectionOut(Schema):
    id: int
    received_on: date
    raised_by: str
    text: str
    outcome: str
    outcome_note: str


class DocumentOut(Schema):
    id: int
    step: str
    role: str
    signer_role: str
    signer_name: str
    name: str
    size: int
    uploaded_at: datetime

    @staticmethod
    def resolve_uploaded_at(document: CaseAttachment) -> datetime:
        return document.created_at


class CaseDetailOut(Schema):
    case: CaseOut
    reason: str
    # Why the case was last sent back to the step it waits at ("" when it was not).
    returned_reason: str
    may_decide: bool
    steps: list[StepOut]
    triggers: list[TriggerOut]
    objections: list[ObjectionOut]
    documents: list[DocumentOut]
    # What the departments found that waits to be verified before the county approves, a
    # sentence each naming the department and the date of its file (seed 003, 一比对): "张三:
    # a vehicle worth ¥86,000 (Traffic police (vehicles), file of Nov. 30, 2026)". Empty for
    # field workers.
    department_checks: list[str]


class DecideIn(Schema):
    decision: Literal["approve", "return", "reject"]
    # The reason of a return or a rejection; a note on an approval.
    comment: str = Field("", max_length=MAX_TEXT)
    # Values of the step's record saved with the decision (kinds.py names each step's fields).
    record: dict[str, Any] = Field(default_factory=dict)


class OpenCaseIn(Schema):
    # The household's id (UUID) as the households API gives it.
    household: str = Field(..., max_length=64)
    kind: Literal["inclusion", "elimination", "return_to_poverty", "category_change"]
    # The category an approval would give (docs/casework.md lists each kind's).
    category: str = Field("", max_length=32)
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)


class RecordIn(Schema):
    # Values of the waiting step's record (kinds.py names each step's fields); null removes one.
    record: dict[str, Any]


class ObjectionIn(Schema):
    received_on: date
    raised_by: str = Field("", max_length=100)
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)


class ResolveIn(Schema):
    outcome: Literal["upheld", "dismissed"]
    note: str = Field(..., min_length=1, max_length=MAX_TEXT)


class DocumentIn(Schema):
    role: Literal[
        "consent",
        "confirmation",
        "minutes",
        "notice_photo",
        "announcement",
        "signature",
        "evidence",
        "other",
    ]
    # For a signature: the signatory's role (kinds.py SIGNATORIES) and name.
    signer_role: str = Field("", max_length=32)
    signer_name: str = Field("", max_length=100)


def _row(case: Case) -> LedgerRow:
    """The case's ledger row, worked out once per response (each field reads it)."""
    cached = case.__dict__.get("_ledger_row")
    if cached is None:
        cached = case.__dict__["_ledger_row"] = ledger_row(case, today=timezone.localdate())
    return cast(LedgerRow, cached)


class LedgerItemOut(Schema):
    """A rectification item as the ledger lays it out."""

    id: int
    problem: str
    measure: str
    responsible_unit: str
    responsible_person: str
    department: str
    department_label: str
    deadline: date | None
    # to_do, in_progress, township_check, county_recheck, struck_off, withdrawn.
    stage: str
    stage_label: str
    overdue: bool
    # Who approved the latest check, and when ("" and null before any check).
    checked_by: str
    checked_on: date | None
    # The step waiting for a decision and its due date (empty once the item is closed).
    step: str
    step_label: str
    level: str
    due_on: date | None
    village: str
    village_name: str
    township_name: str
    # Empty for a village's own item.
    household: str
    household_label: str
    opened_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_problem(case: Case) -> str:
        return _row(case).problem

    @staticmethod
    def resolve_measure(case: Case) -> str:
        return _row(case).measure

    @staticmethod
    def resolve_responsible_unit(case: Case) -> str:
        return _row(case).responsible_unit

    @staticmethod
    def resolve_responsible_person(case: Case) -> str:
        return _row(case).responsible_person

    @staticmethod
    def resolve_department_label(case: Case) -> str:
        return _row(case).department_label

    @staticmethod
    def resolve_deadline(case: Case) -> date | None:
        return _row(case).deadline

    @staticmethod
    def resolve_stage(case: Case) -> str:
        return _row(case).stage

    @staticmethod
    def resolve_stage_label(case: Case) -> str:
        return _row(case).stage_label

    @staticmethod
    def resolve_overdue(case: Case) -> bool:
        return _row(case).overdue

    @staticmethod
    def resolve_checked_by(case: Case) -> str:
        return _row(case).checked_by

    @staticmethod
    def resolve_checked_on(case: Case) -> date | None:
        return _row(case).checked_on

    @staticmethod
    def resolve_step_label(case: Case) -> str:
        return str(step_spec(case.kind, case.step).label) if case.step else ""

    @staticmethod
    def resolve_village(case: Case) -> str:
        return _village(case).code

    @staticmethod
    def resolve_village_name(case: Case) -> str:
        return _row(case).village_name

    @staticmethod
    def resolve_township_name(case: Case) -> str:
        return _row(case).township_name

    @staticmethod
    def resolve_household(case: Case) -> str:
        return str(case.household.uuid) if case.household else ""

    @staticmethod
    def resolve_household_label(case: Case) -> str:
        return _row(case).household_label

    @staticmethod
    def resolve_opened_at(case: Case) -> datetime:
        return case.created_at


_STAGES = Literal[
    "", "to_do", "in_progress", "township_check", "county_recheck", "struck_off", "withdrawn"
]
_DEPARTMENTS = Literal[
    "",
    "education",
    "health",
    "medical",
    "housing",
    "water",
    "transport",
    "civil",
    "hr",
    "agriculture",
    "disabled",
]


class LedgerFiltersIn(Schema):
    stage: _STAGES = ""
    overdue: bool = False
    department: _DEPARTMENTS = ""
    # A village's code.
    village: str = Field("", max_length=64)


class AssignmentIn(Schema):
    """Who does what by when (明确目标任务、标准要求、完成时限、责任人员)."""

    measure: str = Field(..., min_length=1, max_length=MAX_TEXT)
    responsible_unit: str = Field(..., min_length=1, max_length=200)
    responsible_person: str = Field(..., min_length=1, max_length=100)
    deadline: date
    # The line department the item is handed to, whose staff then see and work it.
    department: _DEPARTMENTS = ""


class OpenFlagItemIn(AssignmentIn):
    # The flag's id as the flags API gives it.
    flag: int
    note: str = Field("", max_length=MAX_TEXT)


class OpenVillageItemIn(AssignmentIn):
    # The village's code.
    village: str = Field(..., min_length=1, max_length=64)
    problem: str = Field(..., min_length=1, max_length=MAX_TEXT)
