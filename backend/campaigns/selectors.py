"""Reads for the campaign pages and API."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.campaigns.access import campaigns_for_actor, signing_areas
from backend.campaigns.models import Campaign, CampaignNode, CampaignSignOff
from backend.core.errors import NotFound
from backend.projects.models import Project


def campaigns_listed(actor: Actor, project: Project) -> QuerySet[Campaign]:
    return campaigns_for_actor(actor=actor, project=project).prefetch_related("nodes")


def campaign_nodes(campaign: Campaign) -> list[CampaignNode]:
    order = {
        kind: n
        for n, kind in enumerate(
            ["training", "visits", "compilation", "department_checks", "sign_off"]
        )
    }
    return sorted(campaign.nodes.all(), key=lambda node: order.get(node.kind, 9))


def campaign_sign_offs(campaign: Campaign) -> list[CampaignSignOff]:
    return list(campaign.sign_offs.select_related("area", "signed_by").order_by("created_at"))


def campaign_signable(actor: Actor, campaign: Campaign) -> list[Area]:
    """The areas the actor signs for that have not signed yet."""
    signed = set(campaign.sign_offs.values_list("area_id", flat=True))
    return [area for area in signing_areas(actor, campaign) if area.pk not in signed]


def signing_area(actor: Actor, campaign: Campaign, area_id: int) -> Area:
    for area in signing_areas(actor, campaign):
        if area.pk == area_id:
            return area
    raise NotFound(_("You do not sign for this area."))
