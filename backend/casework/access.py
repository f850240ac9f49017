"""Who may see and decide which cases, on the scope rules of backend/accounts/access.py.

- Seeing: supervisors and admins the cases of the households in their scope (a township its
  villages', a county or the whole project all); field workers only those of the households
  they help, to read.
- Deciding: a step is decided at its level by a supervisor or admin assigned an area of that
  level holding the household's village (a village cadre, the township, the county); people of
  the whole project act as the county.
- Rectification items: a village's own items (no household) are seen and decided like the
  cases of its households. Department staff see only the items handed to their department (in
  their assigned areas, if they have any) and work their rectification step; nothing else.

Missing and not yours are the same NotFound.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backend.accounts.access import (
    Actor,
    access_project_by_slug,
    areas_within,
    assigned_area_ids,
    project_role,
    scope_of,
)
from backend.areas.models import Area, Level
from backend.casework.kinds import step_spec
from backend.casework.models import CASE_LEVELS, Case, CaseState, Kind
from backend.core.errors import NotFound, PermissionDenied
from backend.flags.models import Flag
from backend.households.access import households_for_actor
from backend.households.models import Household
from backend.projects.models import Membership, Project, Role

_MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class CaseLevels:
    """The levels at which one person decides, each with the areas (and all below them) where
    they do: None for the whole project."""

    areas: dict[str, frozenset[int] | None]

    def holds(self, level: str, village_id: int) -> bool:
        """Whether the person decides at `level` in this village."""
        if level not in self.areas:
            return False
        areas = self.areas[level]
        return areas is None or village_id in areas

    def where(self, level: str) -> Q:
        """The cases of households this person decides on at `level`, as a filter."""
        areas = self.areas.get(level, frozenset())
        return Q() if areas is None else in_villages(sorted(areas))


def in_villages(village_ids: list[int]) -> Q:
    """The cases about these villages: their households' and their own items."""
    return Q(household__village_id__in=village_ids) | Q(village_id__in=village_ids)


def department_of(actor: Actor, project: Project) -> str:
    """The department of a department's staff member ("" for anyone else)."""
    if not actor.is_authenticated or actor.is_superuser or not actor.is_active:
        return ""
    membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    return membership.department if membership and membership.role == Role.DEPARTMENT else ""


def case_levels(actor: Actor, project: Project) -> CaseLevels:
    """Where the actor decides cases: nowhere for field workers and people outside the project."""
    scope = scope_of(actor, project)
    if scope.role not in (Role.SUPERVISOR, Role.ADMIN):
        return CaseLevels({})
    if scope.whole_project:
        return CaseLevels({Level.COUNTY: None})
    assigned = Area.objects.filter(pk__in=assigned_area_ids(actor, project))
    by_level: dict[str, list[int]] = {}
    for area_id, level in assigned.values_list("pk", "level"):
        by_level.setdefault(level, []).append(area_id)
    return CaseLevels(
        {level: areas_within(ids) for level, ids in by_level.items() if level in CASE_LEVELS}
    )


def cases_for_actor(*, actor: Actor, project: Project) -> QuerySet[Case]:
    """The cases the actor may see."""
    scope = scope_of(actor, project)
    cases = Case.objects.filter(project=project)
    if scope.role is None:
        return cases.none()
    if scope.role == Role.DEPARTMENT:
        return _department_cases(actor, project, cases)
    if scope.role == Role.COLLECTOR:
        return cases.filter(household__helper_id=actor.pk)
    if scope.whole_project:
        return cases
    return cases.filter(in_villages(sorted(scope.area_ids)))


def _department_cases(actor: Actor, project: Project, cases: QuerySet[Case]) -> QuerySet[Case]:
    department = department_of(actor, project)
    mine = cases.filter(kind=Kind.RECTIFICATION, department=department) if department else None
    if mine is None:
        return cases.none()
    assigned = assigned_area_ids(actor, project)
    return mine.filter(in_villages(sorted(areas_within(assigned)))) if assigned else mine


def access_case_by_id(actor: Actor, project: Project, case_id: int | str) -> Case:
    """The case if the actor may see it; NotFound for missing and forbidden alike."""
    try:
        key = int(case_id)
    except (TypeError, ValueError):
        raise NotFound(_("Case not found.")) from None
    visible = cases_for_actor(actor=actor, project=project)
    case = (
        visible.select_related("household", "household__village", "village", "project")
        .filter(pk=key)
        .first()
        if 0 < key <= _MAX_ID
        else None
    )
    if case is None:
        raise NotFound(_("Case not found."))
    return case


def may_decide(actor: Actor, case: Case) -> bool:
    """Whether the actor decides the step the case waits at."""
    if case.state != CaseState.OPEN:
        return False
    if case_levels(actor, case.project).holds(case.level, case.village_id_of):
        return True
    return _works_for_department(actor, case)


def _works_for_department(actor: Actor, case: Case) -> bool:
    """Whether the actor is staff of the department the item is handed to, in its areas, and
    the item waits at the step the responsible party works."""
    if not case.department or not step_spec(case.kind, case.step).responsible:
        return False
    if department_of(actor, case.project) != case.department:
        return False
    return _department_cases(actor, case.project, Case.objects.filter(pk=case.pk)).exists()


def require_case_rejecter(actor: Actor, case: Case) -> None:
    """A rejection closes the case: only the office of the step's level rejects, never the
    department staff who have to do an item's work (they would strike their own problem)."""
    if not case_levels(actor, case.project).holds(case.level, case.village_id_of):
        raise PermissionDenied(_("Only the office that decides this step rejects it."))


def require_case_decider(actor: Actor, case: Case) -> None:
    """Refuse someone who may see the case but does not decide its waiting step."""
    if not may_decide(actor, case):
        raise PermissionDenied(
            _("This step is decided at the %(level)s level of the household's area.")
            % {"level": Level(case.level).label if case.level else "-"}
        )


# Who gives a rectification item more time: the township and the county, never the village, the
# helper or the department that has to meet the deadline.
_EXTENDING_LEVELS = (Level.TOWNSHIP, Level.COUNTY)


def may_extend_deadline(actor: Actor, case: Case) -> bool:
    """Whether the actor extends the deadline of this open rectification item."""
    if case.kind != Kind.RECTIFICATION or case.state != CaseState.OPEN:
        return False
    levels = case_levels(actor, case.project)
    return any(levels.holds(level, case.village_id_of) for level in _EXTENDING_LEVELS)


def require_deadline_granter(actor: Actor, case: Case) -> None:
    """Refuse someone other than the township or the county of the item's area."""
    if not may_extend_deadline(actor, case):
        raise PermissionDenied(_("Only the township and the county extend an item's deadline."))


def require_case_worker(actor: Actor, case: Case) -> None:
    """Refuse someone who decides at no level of the case's area (field workers read only):
    objections are recorded and handled by any level that decides on the household."""
    require_village_case_worker(actor, case.project, case.village_id_of)


def require_household_case_worker(
    actor: Actor, household: Household, *, project: Project | None = None
) -> None:
    """Refuse someone who decides at no level of the household's area."""
    require_village_case_worker(actor, project or household.project, household.village_id)


def require_village_case_worker(actor: Actor, project: Project, village_id: int) -> None:
    """Refuse someone who decides at no level of the village's area."""
    levels = case_levels(actor, project)
    if not any(levels.holds(level, village_id) for level in CASE_LEVELS):
        raise PermissionDenied(_("Only the village, township and county offices handle cases."))


def access_case_village(actor: Actor, project: Project, code: str) -> Area:
    """A village whose cases the actor works on (a supervisor or admin of an area holding it, or
    of the whole project); NotFound for missing and not yours alike."""
    scope = scope_of(actor, project)
    village = (
        Area.objects.filter(code=code, level=Level.VILLAGE).first() if len(code) <= 64 else None
    )
    if (
        village is None
        or scope.role not in (Role.SUPERVISOR, Role.ADMIN)
        or not scope.holds_village(village.pk)
    ):
        raise NotFound(_("Village not found."))
    return village


def access_casework_project(actor: Actor, slug: str, *, role: Role) -> Project:
    """The project for an operation on cases that asks for `role`, which department staff may
    also call: they reach only the items handed to their department (cases_for_actor) and
    decide only their rectification step (may_decide)."""
    try:
        return access_project_by_slug(actor, slug, role=role)
    except PermissionDenied:
        project = access_project_by_slug(actor, slug, role=Role.DEPARTMENT)
        if project_role(actor, project) != Role.DEPARTMENT:
            raise
        return project


def access_flag_for_rectification(actor: Actor, project: Project, flag_id: int | str) -> Flag:
    """A problem found on a household the actor sees; NotFound for missing and forbidden."""
    try:
        key = int(flag_id)
    except (TypeError, ValueError):
        raise NotFound(_("Flag not found.")) from None
    households = households_for_actor(actor=actor, project=project)
    flag = (
        Flag.objects.filter(pk=key, subject="", household__in=households)
        .select_related("household")
        .first()
        if 0 < key <= _MAX_ID
        else None
    )
    if flag is None:
        raise NotFound(_("Flag not found."))
    return flag
