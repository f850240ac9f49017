"""Every household of a project evaluated again: after the lines or the rules changed, or by
hand (`manage.py recheck_households`). Idempotent: a second run opens and closes nothing."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django_tasks import task

from backend.households.models import Household
from backend.monitoring.engine import household_rules_apply, project_rules
from backend.projects.models import Project

# Households read and evaluated per round: each in its own transaction, so a long run holds no
# lock for long and a crash keeps what was done.
_BATCH = 200


@dataclass
class Rechecked:
    households: int = 0
    opened: int = 0
    closed: int = 0

    def __str__(self) -> str:
        return (
            f"households checked: {self.households}, flags opened: {self.opened}, "
            f"closed: {self.closed}"
        )


def households_recheck(
    project: Project,
    *,
    progress: Callable[[Rechecked], None] | None = None,
    only: QuerySet[Household] | None = None,
) -> Rechecked:
    """Evaluate the project's households (or `only` those) again, in batches."""
    rules = project_rules(project)
    done = Rechecked()
    households = Household.objects.filter(project=project) if only is None else only
    queryset = households.select_related("project", "village")
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:_BATCH]):
        for household in batch:
            with transaction.atomic():
                opened, closed = household_rules_apply(household=household, rules=rules)
            done.households += 1
            done.opened += len(opened)
            done.closed += len(closed)
        last = batch[-1].pk
        if progress is not None:
            progress(done)
    return done


@task()
def recheck_project(project_id: int) -> str:
    """The recheck after a change of the project's lines or rules (queued on commit)."""
    project = Project.objects.filter(pk=project_id).first()
    return "" if project is None else str(households_recheck(project))
