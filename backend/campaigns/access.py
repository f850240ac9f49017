"""Who may see, run and sign campaigns, on the scope rules of backend/accounts/access.py.

- An admin whose scope covers the whole project (or a county holding all of it) plans, starts
  and reassigns (a campaign reaches every village it names).
- Supervisors and admins see the campaigns of their project, and the progress of their areas'
  households only.
- Each level signs for its own area: a supervisor or admin assigned that village, township or
  (whole project) county.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backend.accounts.access import Actor, assigned_area_ids, covers_project, scope_of
from backend.areas.models import Area, Level
from backend.campaigns.models import Campaign
from backend.core.errors import NotFound, PermissionDenied
from backend.households.models import Household
from backend.projects.models import Project, Role

_MAX_ID = 2**63 - 1


def require_campaign_admin(actor: Actor, project: Project) -> None:
    if not may_run_campaigns(actor, project):
        raise PermissionDenied(_("Only the county's admins plan and run campaigns."))


def may_run_campaigns(actor: Actor, project: Project) -> bool:
    scope = scope_of(actor, project)
    return scope.role == Role.ADMIN and covers_project(scope, project)


def campaigns_for_actor(*, actor: Actor, project: Project) -> QuerySet[Campaign]:
    if scope_of(actor, project).role not in (Role.SUPERVISOR, Role.ADMIN):
        return Campaign.objects.none()
    return Campaign.objects.filter(project=project)


def access_campaign_by_id(actor: Actor, project: Project, campaign_id: int | str) -> Campaign:
    try:
        key = int(campaign_id)
    except (TypeError, ValueError):
        raise NotFound(_("Campaign not found.")) from None
    visible = campaigns_for_actor(actor=actor, project=project)
    campaign = (
        visible.filter(pk=key).select_related("project").first() if 0 < key <= _MAX_ID else None
    )
    if campaign is None:
        raise NotFound(_("Campaign not found."))
    return campaign


def signing_areas(actor: Actor, campaign: Campaign) -> list[Area]:
    """The areas whose returns the actor signs: their assigned villages and townships, and for
    people of the whole project the county (the top of the campaign's areas)."""
    scope = scope_of(actor, campaign.project)
    if scope.role not in (Role.SUPERVISOR, Role.ADMIN):
        return []
    if scope.whole_project:
        return list(Area.objects.filter(level=Level.COUNTY))
    assigned = Area.objects.filter(pk__in=assigned_area_ids(actor, campaign.project))
    return list(assigned.filter(level__in=(Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY)))


def require_signer(actor: Actor, campaign: Campaign, area: Area) -> None:
    if area not in signing_areas(actor, campaign):
        raise PermissionDenied(_("Each level signs for its own area."))


def require_worker_for(worker: Actor, household: Household) -> None:
    """The worker must be a field worker whose scope holds the household's village."""
    scope = scope_of(worker, household.project)
    if scope.role != Role.COLLECTOR or not scope.holds_village(household.village_id):
        raise PermissionDenied(_("Give a household to a field worker of its village."))
