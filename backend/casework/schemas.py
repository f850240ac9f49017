"""The casework's JSON shapes (backend/casework/api.py)."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from backend.casework.kinds import step_spec
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
    household: str
    household_code: str
    household_label: str
    village: str
    village_name: str
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
        return str(case.household.uuid)

    @staticmethod
    def resolve_household_code(case: Case) -> str:
        return case.household.code

    @staticmethod
    def resolve_household_label(case: Case) -> str:
        return case.household.label

    @staticmethod
    def resolve_village(case: Case) -> str:
        return case.household.village.code

    @staticmethod
    def resolve_village_name(case: Case) -> str:
        return case.household.village.name

    @staticmethod
    def resolve_opened_at(case: Case) -> datetime:
        return case.created_at


class WaitingCaseOut(CaseOut):
    overdue: bool
    # Listed only because it is overdue at the level below the caller's.
    escalated: bool


class ListedCaseOut(CaseOut):
    overdue: bool


class CaseFiltersIn(Schema):
    state: Literal["", "open", "approved", "rejected"] = ""
    level: Literal["", "village", "township", "county"] = ""
    kind: Literal["", "inclusion", "elimination", "return_to_poverty", "category_change"] = ""
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
        "consent", "confirmation", "minutes", "notice_photo", "announcement", "signature", "other"
    ]
    # For a signature: the signatory's role (kinds.py SIGNATORIES) and name.
    signer_role: str = Field("", max_length=32)
    signer_name: str = Field("", max_length=100)
