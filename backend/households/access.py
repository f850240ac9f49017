"""Which households a person may see: the one rule the phones, the API and the pages share."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, areas_within, assigned_area_ids, project_role
from backend.accounts.kept_scope import kept_assigned_area_ids
from backend.areas.access import AreaEditor, area_editor
from backend.core.errors import NotFound
from backend.households.models import Household
from backend.projects.models import Project, Role


def households_for_actor(*, actor: Actor, project: Project) -> QuerySet[Household]:
    """Households of the project the actor may see.

    Field workers: the households they help, those in the villages assigned to them, and the
    houses they re-inspect for the county (a renovation's re-inspection sample).
    Supervisors and admins: those in their assigned areas, or all when none are assigned.
    Department staff: none (they read the rectification items handed to them, not households).
    """
    role = project_role(actor, project)
    households = Household.objects.filter(project=project)
    if role is None or role == Role.DEPARTMENT:
        return households.none()
    areas = assigned_area_ids(actor, project)
    # By the households' own indexed village column: the phones' lists and their version
    # tokens read an index, not a join per household.
    in_areas = Q(village_id__in=sorted(areas_within(areas)))
    if role == Role.COLLECTOR:
        own = Q(helper_id=actor.pk) | Q(reinspector_id=actor.pk)
        return households.filter(own | in_areas) if areas else households.filter(own)
    return households.filter(in_areas) if areas else households


def household_scope(*, actor: Actor, project: Project) -> str:
    """What decides which households `households_for_actor` returns, as text, given the areas
    and the households as they are: two people with the same text see the same households.
    A key for kept documents (its areas as kept: backend/accounts/kept_scope.py), not a check."""
    role = project_role(actor, project)
    if role is None or role == Role.DEPARTMENT:
        return "none"
    areas = ",".join(map(str, sorted(kept_assigned_area_ids(actor, project))))
    # A field worker's list also holds the households they help or re-inspect.
    own = f":own={actor.pk}" if role == Role.COLLECTOR else ""
    return f"areas={areas}{own}"


def access_household_by_uuid(actor: Actor, project: Project, household_id: str) -> Household:
    """The household if the actor may see it; NotFound for missing and forbidden alike."""
    try:
        key = uuid.UUID(household_id)
    except ValueError:
        raise NotFound(_("Household not found.")) from None
    household = households_for_actor(actor=actor, project=project).filter(uuid=key).first()
    if household is None:
        raise NotFound(_("Household not found."))
    return household


def may_change_household(actor: Actor | None, household: Household) -> bool:
    """Whether a submission sent by `actor` may update the household: only one in their scope,
    the households they would find on their own phone's list."""
    if actor is None:
        return False
    if household.helper_id == actor.pk:
        return True  # a worker's own household, without asking the database
    visible = households_for_actor(actor=actor, project=household.project)
    return visible.filter(pk=household.pk).exists()


def other_projects_keep_households(area_ids: list[int], project: Project | None) -> bool:
    """Whether a project other than `project` has households in these areas."""
    return Household.objects.exclude(project=project).filter(village_id__in=area_ids).exists()


def area_editor_of(actor: Actor, project: Project) -> AreaEditor:
    """The person's area rights (backend/areas/access.py), knowing the other projects'
    households: an area another project works in is edited by nobody in this one."""
    return area_editor(actor, project, other_projects_keep_households)
