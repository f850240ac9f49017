"""A case as its page reads it: each pass of a step in words (labels, never codes), what asked
for the case in plain words, and what the reader may do on it."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.access import Actor
from backend.areas.models import Level
from backend.casework.access import case_levels
from backend.casework.kinds import FieldSpec, StepSpec, step_spec
from backend.casework.models import (
    CASE_LEVELS,
    Case,
    CaseState,
    CaseStep,
    CaseTrigger,
    Decision,
    Kind,
)
from backend.casework.selectors import CaseDetail, case_detail
from backend.core import display
from backend.flags.catalogue import flag_label
from backend.flags.sentences import flag_sentence
from backend.households.models import Category

# A step's decision and a case's state as the pages name them (models.py gives the words).
DECISIONS: dict[str, Promise] = dict(Decision.choices)
STATES: dict[str, Promise] = dict(CaseState.choices)

# What a visit's outcome asked for, as the page says it.
_PROPOSALS = {
    "propose_monitor": gettext_lazy("The visit proposed to include the household in monitoring."),
    "propose_clear": gettext_lazy("The visit proposed to eliminate the household's risk."),
}


@dataclass(frozen=True)
class RecordValue:
    label: str
    value: str


@dataclass(frozen=True)
class StepRow:
    """One pass of a step, in words."""

    label: str
    level: str
    decision: str  # the code, for the badge's colour; "" while the step waits
    decision_label: str
    actor: str
    comment: str
    values: list[RecordValue]
    started_on: date
    due_on: date
    decided_at: datetime | None
    returned_reason: str


@dataclass(frozen=True)
class CaseView:
    """Everything the case page shows, for one reader."""

    detail: CaseDetail
    rows: list[StepRow]
    triggers: list[str]
    category: str
    state: str
    # The step the case waits at (None once closed) and its record so far.
    waiting: StepSpec | None
    record: dict[str, object]
    # Whether the reader records and handles the notice's objections (any level of the area).
    may_handle: bool


def case_view(case: Case, *, actor: Actor) -> CaseView:
    """The case with its timeline in words, for this reader."""
    detail = case_detail(case, actor=actor)
    waiting_row = next((row for row in detail.steps if not row.decision), None)
    levels = case_levels(actor, case.project)
    return CaseView(
        detail=detail,
        rows=[step_row(case, row) for row in detail.steps],
        triggers=[trigger_words(trigger, case.project_id) for trigger in detail.triggers],
        category=category_label(case.category),
        state=str(STATES[case.state]),
        waiting=step_spec(case.kind, case.step) if case.step else None,
        record=dict(waiting_row.record) if waiting_row else {},
        may_handle=case.state == "open"
        and any(levels.holds(level, case.village_id_of) for level in CASE_LEVELS),
    )


def step_row(case: Case, row: CaseStep) -> StepRow:
    spec = step_spec(case.kind, row.step)
    return StepRow(
        label=str(spec.label),
        level=str(Level(row.level).label),
        decision=row.decision,
        decision_label=str(DECISIONS[row.decision]) if row.decision else _("Waiting"),
        actor=str(row.actor) if row.actor else "",
        comment=row.comment,
        values=record_values(spec, row.record),
        started_on=row.started_on,
        due_on=row.due_on,
        decided_at=row.decided_at,
        returned_reason=row.returned_by.comment if row.returned_by else "",
    )


def record_values(spec: StepSpec, record: dict[str, object]) -> list[RecordValue]:
    """The record's values in the order of the step's fields, each by its label."""
    return [
        RecordValue(str(field.label), shown_value(field, record[field.name]))
        for field in spec.fields
        if record.get(field.name) not in (None, "")
    ]


def shown_value(field: FieldSpec, value: object) -> str:
    if field.type == "date":
        return display.day(value)
    if field.type == "count":
        return display.number(value)
    return display.text_of(field.shown(value))


def trigger_words(trigger: CaseTrigger, project_id: int) -> str:
    """What asked for the case, as a sentence."""
    asked = Kind(trigger.kind).label
    if trigger.source == "visit" and trigger.code in _PROPOSALS:
        return str(_PROPOSALS[trigger.code])
    if trigger.source == "flag":
        found = _("A monitoring rule found: %(flag)s (asks for: %(kind)s).") % {
            "flag": flag_label(trigger.code, project_id),
            "kind": asked,
        }
        # The flag's own sentence says with which numbers (a trigger outlives a deleted flag).
        sentence = flag_sentence(trigger.flag) if trigger.flag is not None else ""
        return f"{found} {sentence}" if sentence else found
    if trigger.actor is not None:
        return _("%(person)s asked for: %(kind)s.") % {"person": trigger.actor, "kind": asked}
    return _("Asked for: %(kind)s.") % {"kind": asked}


def category_label(code: str) -> str:
    """A category's label; "" for none."""
    return str(Category(code).label) if code in Category.values else ""
