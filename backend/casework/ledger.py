"""The rectification ledger (整改台账): the items a reader sees, narrowed by stage, overdue,
department and village, each as the documents lay it out: the problem, the measure, who is
responsible, the deadline, the stage, who checked it and when (seed 004: 督查反馈问题整改情况
及时报送)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.casework.access import cases_for_actor
from backend.casework.kinds import COUNTY_RECHECK, RECTIFY, TOWNSHIP_FIRST_CHECK
from backend.casework.models import (
    AttachmentRole,
    Case,
    CaseAttachment,
    CaseState,
    CaseStep,
    DeadlineExtension,
    Decision,
    Kind,
)
from backend.flags.catalogue import flag_label
from backend.projects.models import Project


class Stage:
    """Where an item stands, as the ledger names it: to do → in progress → township first
    check → county re-check → struck off (or withdrawn: rejected as no problem to rectify)."""

    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    TOWNSHIP_CHECK = "township_check"
    COUNTY_RECHECK = "county_recheck"
    STRUCK_OFF = "struck_off"
    WITHDRAWN = "withdrawn"


STAGES: dict[str, Promise] = {
    Stage.TO_DO: _("Awaiting rectification"),
    Stage.IN_PROGRESS: _("Being rectified"),
    Stage.TOWNSHIP_CHECK: _("Township first check"),
    Stage.COUNTY_RECHECK: _("County re-check"),
    Stage.STRUCK_OFF: _("Struck off"),
    Stage.WITHDRAWN: _("Withdrawn"),
}


def _worked() -> Q:
    """An item at its rectification step on which the responsible party recorded work or
    evidence."""
    waiting = CaseStep.objects.filter(case=OuterRef("pk"), decision="", step=RECTIFY.code)
    evidence = CaseAttachment.objects.filter(
        case=OuterRef("pk"), step=RECTIFY.code, role=AttachmentRole.EVIDENCE
    )
    return Q(
        Exists(waiting.filter(Q(record__has_key="progress") | Q(record__has_key="done_on")))
    ) | Q(Exists(evidence))


def _stage_filter(stage: str) -> Q:
    at_rectify = Q(state=CaseState.OPEN, step=RECTIFY.code)
    return {
        Stage.TO_DO: at_rectify & ~_worked(),
        Stage.IN_PROGRESS: at_rectify & _worked(),
        Stage.TOWNSHIP_CHECK: Q(state=CaseState.OPEN, step=TOWNSHIP_FIRST_CHECK.code),
        Stage.COUNTY_RECHECK: Q(state=CaseState.OPEN, step=COUNTY_RECHECK.code),
        Stage.STRUCK_OFF: Q(state=CaseState.APPROVED),
        Stage.WITHDRAWN: Q(state=CaseState.REJECTED),
    }[stage]


@dataclass(frozen=True)
class LedgerFilters:
    """What the ledger is narrowed to; empty means any."""

    stage: str = ""
    overdue: bool = False
    department: str = ""
    village: str = ""  # the village's code


def rectifications_for_actor(*, actor: Actor, project: Project) -> QuerySet[Case]:
    """The rectification items the actor may see (department staff: their department's)."""
    return cases_for_actor(actor=actor, project=project).filter(kind=Kind.RECTIFICATION)


def rectifications_listed(
    *, actor: Actor, project: Project, filters: LedgerFilters, today: date
) -> QuerySet[Case]:
    """The reader's items narrowed by `filters`, each saying whether it is overdue (open and
    past its deadline, or past a check's working days)."""
    items = rectifications_for_actor(actor=actor, project=project)
    if filters.stage:
        items = items.filter(_stage_filter(filters.stage))
    if filters.department:
        items = items.filter(department=filters.department)
    if filters.village:
        items = items.filter(
            Q(household__village__code=filters.village) | Q(village__code=filters.village)
        )
    if filters.overdue:
        items = items.filter(state=CaseState.OPEN, due_on__lt=today)
    return with_ledger_details(items)


def with_ledger_details(items: QuerySet[Case]) -> QuerySet[Case]:
    """The items with what their ledger rows read: places, flags, steps and evidence."""
    return items.select_related(
        "household", "household__village__parent", "village__parent", "flag"
    ).prefetch_related(
        Prefetch(
            "steps",
            queryset=CaseStep.objects.select_related("actor").order_by("created_at", "id"),
        ),
        Prefetch("extensions", queryset=DeadlineExtension.objects.order_by("created_at", "id")),
        Prefetch(
            "attachments",
            queryset=CaseAttachment.objects.filter(role=AttachmentRole.EVIDENCE).only(
                "id", "case_id", "step", "role"
            ),
        ),
    )


@dataclass(frozen=True)
class LedgerRow:
    """One item as the ledger shows it."""

    case: Case
    problem: str
    measure: str
    responsible_unit: str
    responsible_person: str
    # The deadline the item has: the latest extension's, or the opening's.
    deadline: date | None
    # The deadline set at the opening, when the township or the county extended it since (None
    # when never extended).
    original_deadline: date | None
    stage: str
    checked_by: str
    checked_on: date | None
    overdue: bool

    @property
    def stage_label(self) -> str:
        return str(STAGES[self.stage])

    @property
    def village_name(self) -> str:
        return _village(self.case).name

    @property
    def township_name(self) -> str:
        parent = _village(self.case).parent
        return parent.name if parent else ""

    @property
    def household_label(self) -> str:
        return self.case.household.label if self.case.household else ""

    @property
    def department_label(self) -> str:
        return str(self.case.get_department_display()) if self.case.department else ""


def ledger_rows(items: Iterable[Case], *, today: date) -> list[LedgerRow]:
    """The items (from rectifications_listed, steps prefetched) as ledger rows."""
    return [ledger_row(case, today=today) for case in items]


def ledger_row(case: Case, *, today: date) -> LedgerRow:
    steps = list(case.steps.all())
    assignment: dict[str, object] = next(
        (s.record for s in reversed(steps) if s.step == RECTIFY.code), {}
    )
    checks = [
        s
        for s in steps
        if s.step != RECTIFY.code and s.decision == Decision.APPROVE and s.actor is not None
    ]
    last = checks[-1] if checks else None
    extensions = list(case.extensions.all())
    opening_deadline = _date(assignment.get("deadline"))
    return LedgerRow(
        case=case,
        problem=problem_of(case),
        measure=str(assignment.get("measure", "")),
        responsible_unit=str(assignment.get("responsible_unit", "")),
        responsible_person=str(assignment.get("responsible_person", "")),
        deadline=extensions[-1].deadline if extensions else opening_deadline,
        original_deadline=opening_deadline if extensions else None,
        stage=_stage(case, steps),
        checked_by=(last.actor.full_name or last.actor.username) if last and last.actor else "",
        checked_on=timezone.localdate(last.decided_at) if last and last.decided_at else None,
        overdue=case.is_overdue(today),
    )


def problem_of(case: Case) -> str:
    """What is to be rectified: the household's problem as its flag names it (and the opener's
    note), or the village's problem as described."""
    if case.flag is None:
        return case.reason
    label = flag_label(case.flag.code, case.project_id)
    return f"{label}: {case.reason}" if case.reason else label


def _stage(case: Case, steps: list[CaseStep]) -> str:
    if case.state == CaseState.APPROVED:
        return Stage.STRUCK_OFF
    if case.state == CaseState.REJECTED:
        return Stage.WITHDRAWN
    if case.step == TOWNSHIP_FIRST_CHECK.code:
        return Stage.TOWNSHIP_CHECK
    if case.step == COUNTY_RECHECK.code:
        return Stage.COUNTY_RECHECK
    waiting = next((s for s in steps if not s.decision), None)
    record = waiting.record if waiting else {}
    evidence = any(a.step == RECTIFY.code for a in case.attachments.all())
    worked = "progress" in record or "done_on" in record or evidence
    return Stage.IN_PROGRESS if worked else Stage.TO_DO


def _village(case: Case) -> Area:
    village = case.household.village if case.household else case.village
    assert village is not None  # a check constraint: a household or a village
    return village


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
