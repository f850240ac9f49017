"""JSON API for campaigns: the list, and one campaign's progress in the caller's areas."""

from typing import Any

from ninja import Router

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.campaigns.access import access_campaign_by_id
from backend.campaigns.progress import Tally, campaign_progress
from backend.campaigns.schemas import CampaignOut, ProgressOut
from backend.campaigns.selectors import campaign_nodes, campaigns_listed
from backend.core.schemas import ERRORS
from backend.projects.models import Role

router = Router(tags=["campaigns"])


@router.get("/projects/{slug}/campaigns", response={200: list[CampaignOut], **ERRORS})
def list_campaigns(request: SignedInRequest, slug: str) -> list[dict[str, Any]]:
    """The project's look-back campaigns with their time nodes, newest first."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    return [_campaign(c) for c in campaigns_listed(request.user, project)]


@router.get(
    "/projects/{slug}/campaigns/{campaign_id}/progress", response={200: ProgressOut, **ERRORS}
)
def get_progress(request: SignedInRequest, slug: str, campaign_id: int) -> dict[str, Any]:
    """Visited, remaining and problems found by village and by worker, visits per day, and the
    households not visited in the window (the first 200), in the caller's areas."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    campaign = access_campaign_by_id(request.user, project, campaign_id)
    progress = campaign_progress(campaign, request.user)
    return {
        "campaign": _campaign(campaign),
        "total": _tally(progress.total),
        "villages": [_tally(t) for t in progress.villages],
        "workers": [_tally(t) for t in progress.workers],
        "per_day": [{"day": day, "visited": n} for day, n in progress.per_day],
        "unvisited": [
            {
                "household": str(e.household.uuid),
                "label": e.household.label,
                "village": e.household.village.name if e.household.village else "",
            }
            for e in progress.unvisited
        ],
    }


def _campaign(campaign: Any) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "state": campaign.state,
        "state_label": str(campaign.get_state_display()),
        "nodes": [
            {
                "kind": n.kind,
                "label": str(n.get_kind_display()),
                "starts_on": n.starts_on,
                "ends_on": n.ends_on,
            }
            for n in campaign_nodes(campaign)
        ],
    }


def _tally(tally: Tally) -> dict[str, Any]:
    return {
        "name": tally.name,
        "households": tally.households,
        "visited": tally.visited,
        "remaining": tally.remaining,
        "problems": tally.problems,
    }
