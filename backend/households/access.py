"""Which households a person may see: the one rule the phones, the API and the pages share."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, project_role
from backend.areas.models import Area
from backend.core.errors import NotFound
from backend.households.models import Household
from backend.projects.models import Membership, Project, Role


def households_for_actor(*, actor: Actor, project: Project) -> QuerySet[Household]:
    """Households of the project the actor may see.

    Field workers: the households they help, and those in the villages assigned to them.
    Supervisors and admins: those in their assigned areas, or all when none are assigned.
    """
    role = project_role(actor, project)
    households = Household.objects.filter(project=project)
    if role is None:
        return households.none()
    areas = _assigned_areas(actor, project)
    in_areas = Q(village_id__in=_villages_within(areas))
    if role == Role.COLLECTOR:
        return (
            households.filter(Q(helper_id=actor.pk) | in_areas)
            if areas
            else households.filter(helper_id=actor.pk)
        )
    return households.filter(in_areas) if areas else households


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


def _villages_within(areas: list[Area]) -> list[int]:
    """The areas that are, or lie one or two levels below, one of these: villages' ids.

    Resolved here, so the households are filtered by their own indexed village column (the
    household lists and their version tokens read an index, not a join per household).
    """
    if not areas:
        return []
    ids = [area.pk for area in areas]
    within = Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids)
    return sorted(Area.objects.filter(within).values_list("pk", flat=True))


def _assigned_areas(actor: Actor, project: Project) -> list[Area]:
    if actor.is_superuser:
        return []
    membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    return list(membership.areas.all()) if membership else []
