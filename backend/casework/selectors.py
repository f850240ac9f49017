"""The casework's reads: what waits for a person, overdue first, and a case's timeline."""

from datetime import date

from django.db.models import Q, QuerySet

from backend.accounts.access import Actor
from backend.areas.models import Level
from backend.casework.access import case_levels
from backend.casework.models import Case, CaseState, CaseStep
from backend.projects.models import Project

# A case overdue at a level is also listed at the level above (the county's own stay with it).
LEVEL_BELOW: dict[str, str] = {Level.TOWNSHIP: Level.VILLAGE, Level.COUNTY: Level.TOWNSHIP}


def cases_waiting_for(*, actor: Actor, project: Project, today: date) -> QuerySet[Case]:
    """The open cases whose waiting step the actor decides, and those overdue one level below
    in the actor's areas; the earliest due first, so the overdue lead."""
    levels = case_levels(actor, project)
    wanted = Q(pk__in=[])
    for level in levels.areas:
        wanted |= Q(level=level) & levels.where(level)
        below = LEVEL_BELOW.get(level)
        if below:
            wanted |= Q(level=below, due_on__lt=today) & levels.where(level)
    return (
        Case.objects.filter(project=project, state=CaseState.OPEN)
        .filter(wanted)
        .select_related("household", "household__village")
        .order_by("due_on", "pk")
    )


def escalated(case: Case, actor: Actor, today: date) -> bool:
    """Whether the case is listed for the actor only because it is overdue below them."""
    levels = case_levels(actor, case.project)
    return case.is_overdue(today) and not levels.holds(case.level, case.household.village_id)


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
