"""The casework's reads: what waits for a person, overdue first, and a case's timeline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case as Switch
from django.db.models import Q, QuerySet, Value, When

from backend.accounts.access import Actor
from backend.areas.models import Level
from backend.casework.access import case_levels, may_decide
from backend.casework.models import (
    Case,
    CaseAttachment,
    CaseState,
    CaseStep,
    CaseTrigger,
    NoticeObjection,
)
from backend.projects.models import Project

# A case overdue at a level is also listed at the level above (the county's own stay with it).
LEVEL_BELOW: dict[str, str] = {Level.TOWNSHIP: Level.VILLAGE, Level.COUNTY: Level.TOWNSHIP}


def cases_waiting_for(*, actor: Actor, project: Project, today: date) -> QuerySet[Case]:
    """The open cases whose waiting step the actor decides, and those overdue one level below
    in the actor's areas; the earliest due first, so the overdue lead. Each row says whether it
    is `overdue`, and whether it is listed only because it is overdue below (`escalated`)."""
    levels = case_levels(actor, project)
    own, below = Q(pk__in=[]), Q(pk__in=[])
    for level in levels.areas:
        own |= Q(level=level) & levels.where(level)
        if level in LEVEL_BELOW:
            below |= Q(level=LEVEL_BELOW[level], due_on__lt=today) & levels.where(level)
    return (
        Case.objects.filter(project=project, state=CaseState.OPEN)
        .filter(own | below)
        .annotate(
            overdue=_flag(Q(due_on__lt=today)),
            escalated=Switch(When(own, then=Value(False)), default=Value(True)),
        )
        .select_related("household", "household__village")
        .order_by("due_on", "pk")
    )


def _flag(condition: Q) -> Switch:
    return Switch(When(condition, then=Value(True)), default=Value(False))


def case_timeline(case: Case) -> list[CaseStep]:
    """Every pass of the case through its steps, in order, with who decided and why."""
    return list(
        case.steps.select_related("actor", "returned_by", "returned_by__actor").order_by(
            "created_at", "id"
        )
    )


def returned_reason(case: Case) -> str:
    """Why the level above sent the case back to the step it waits at ("" when it did not)."""
    waiting = case.steps.filter(decision="").select_related("returned_by").first()
    if waiting is None or waiting.returned_by is None:
        return ""
    return waiting.returned_by.comment


@dataclass(frozen=True)
class CaseDetail:
    """One case as a reader sees it: its timeline, what asked for it, the objections to its
    notice, its documents, and whether the reader decides its waiting step."""

    case: Case
    reason: str
    returned_reason: str
    may_decide: bool
    steps: list[CaseStep]
    triggers: list[CaseTrigger]
    objections: list[NoticeObjection]
    documents: list[CaseAttachment]


def case_detail(case: Case, *, actor: Actor) -> CaseDetail:
    """The case with everything its page shows, for this reader."""
    return CaseDetail(
        case=case,
        reason=case.reason,
        returned_reason=returned_reason(case),
        may_decide=may_decide(actor, case),
        steps=case_timeline(case),
        triggers=list(case.triggers.order_by("created_at", "id")),
        objections=list(case.objections.order_by("received_on", "id")),
        documents=list(case.attachments.order_by("created_at", "id")),
    )
