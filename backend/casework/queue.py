"""The queue of the case pages: what waits for a person (selectors.cases_waiting_for), narrowed
by kind and village."""

from datetime import date

from django.db.models import QuerySet

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.casework.access import in_villages
from backend.casework.models import Case
from backend.casework.selectors import cases_waiting_for
from backend.projects.models import Project


def waiting_queue(
    *, actor: Actor, project: Project, today: date, kind: str = "", village: Area | None = None
) -> QuerySet[Case]:
    """The cases waiting for the actor, overdue first, of this kind and village when given."""
    cases = cases_waiting_for(actor=actor, project=project, today=today)
    if kind:
        cases = cases.filter(kind=kind)
    if village is not None:
        cases = cases.filter(in_villages([village.pk]))
    return cases
