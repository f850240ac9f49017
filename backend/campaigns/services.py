"""The campaigns' writes: a campaign planned, started (its households taken in and assigned to
their helpers, marked on the phones), households reassigned, sign-offs, the close. Each owns
its transaction; who may do what is access.py's."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.campaigns.access import require_campaign_admin, require_signer, require_worker_for
from backend.campaigns.errors import CampaignInvalid, CampaignRefused
from backend.campaigns.models import (
    Campaign,
    CampaignHousehold,
    CampaignNode,
    CampaignSignOff,
    CampaignState,
    NodeKind,
)
from backend.campaigns.progress import campaign_areas_below, unvisited_in
from backend.campaigns.scope import PRIORITY_GROUPS, campaign_scope
from backend.households.models import Category, Household
from backend.households.services import households_campaign_set
from backend.projects.models import Project


@dataclass(frozen=True)
class Plan:
    """A campaign as an admin enters it."""

    name: str
    nodes: dict[str, tuple[date | None, date]]  # node kind -> (from, until)
    villages: tuple[Area, ...] = ()
    categories: tuple[str, ...] = ()
    income_below: Decimal | None = None
    income_year: int | None = None
    priority_groups: tuple[str, ...] = ()
    with_open_flags: bool = False


@transaction.atomic(durable=True)
def campaign_plan(*, project: Project, actor: User, plan: Plan) -> Campaign:
    """Record a campaign being prepared: its scope and its time nodes."""
    require_campaign_admin(actor, project)
    _check(plan)
    campaign = Campaign.objects.create(
        project=project,
        name=plan.name.strip(),
        categories=list(plan.categories),
        income_below=plan.income_below,
        income_year=plan.income_year,
        priority_groups=list(plan.priority_groups),
        with_open_flags=plan.with_open_flags,
        created_by=actor,
    )
    campaign.villages.set(plan.villages)
    CampaignNode.objects.bulk_create(
        CampaignNode(campaign=campaign, kind=kind, starts_on=start, ends_on=end)
        for kind, (start, end) in plan.nodes.items()
    )
    return campaign


def _check(plan: Plan) -> None:
    if not plan.name.strip() or len(plan.name.strip()) > 100:
        raise CampaignInvalid(_("Name the campaign (at most 100 characters)."))
    if NodeKind.VISITS not in plan.nodes or plan.nodes[NodeKind.VISITS][0] is None:
        raise CampaignInvalid(_("Give the dates of the household visits: from and until."))
    for kind, (start, end) in plan.nodes.items():
        if kind not in NodeKind.values:
            raise CampaignInvalid(_("Unknown time node."))
        if start is not None and start > end:
            raise CampaignInvalid(
                _("%(node)s starts after it ends.") % {"node": NodeKind(kind).label}
            )
    ends = [plan.nodes[k][1] for k in NodeKind.values if k in plan.nodes]
    if ends != sorted(ends):
        raise CampaignInvalid(_("The time nodes' deadlines must follow the plan's order."))
    unknown = set(plan.categories) - set(Category.values)
    unknown |= set(plan.priority_groups) - set(PRIORITY_GROUPS)
    if unknown:
        raise CampaignInvalid(_("Unknown category or priority group."))
    if any(
        village.level != Level.VILLAGE and village.level != Level.TOWNSHIP
        for village in plan.villages
    ):
        raise CampaignInvalid(_("A campaign's scope is villages or townships."))


@transaction.atomic(durable=True)
def campaign_start(*, campaign: Campaign, actor: User) -> int:
    """Take in the households of the scope, each assigned to its helper, and mark them on the
    phones; how many. Another campaign under way keeps its own households' marks."""
    campaign = _locked(campaign)
    require_campaign_admin(actor, campaign.project)
    if campaign.state != CampaignState.DRAFT:
        raise CampaignRefused(_("The campaign has started already."))
    households = campaign_scope(campaign)
    CampaignHousehold.objects.bulk_create(
        (
            CampaignHousehold(campaign=campaign, household_id=pk, worker_id=helper)
            for pk, helper in households.values_list("pk", "helper_id").iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )
    households_campaign_set(households.filter(campaign=""), campaign.name)
    campaign.state, campaign.started_at = CampaignState.ACTIVE, timezone.now()
    campaign.save(update_fields=["state", "started_at", "updated_at"])
    return campaign.households.count()


@transaction.atomic(durable=True)
def campaign_assign(
    *, campaign: Campaign, actor: User, households: list[Household], worker: User
) -> int:
    """Give these households of the campaign to another worker of their area; how many."""
    campaign = _locked(campaign)
    require_campaign_admin(actor, campaign.project)
    for household in households:
        require_worker_for(worker, household)
    return campaign.households.filter(household__in=households).update(worker=worker)


@transaction.atomic(durable=True)
def campaign_sign_off(
    *, campaign: Campaign, actor: User, area: Area, signer_name: str, note: str = ""
) -> CampaignSignOff:
    """The level of `area` signs the returns of its area: refused while a household of the area
    has not been visited inside the visit window, or an area below has not signed."""
    campaign = _locked(campaign)
    require_signer(actor, campaign, area)
    if campaign.state != CampaignState.ACTIVE:
        raise CampaignRefused(_("Only a campaign under way is signed off."))
    if not signer_name.strip():
        raise CampaignInvalid(_("Name who signs."))
    unvisited = unvisited_in(campaign, area)
    if unvisited:
        raise CampaignRefused(
            _("%(n)d households of %(area)s have not been visited in the visit window.")
            % {"n": unvisited, "area": area.name},
        )
    missing = _unsigned_below(campaign, area)
    if missing:
        raise CampaignRefused(
            _("Not yet signed by: %(areas)s.") % {"areas": ", ".join(a.name for a in missing)}
        )
    signed, _created = CampaignSignOff.objects.update_or_create(
        campaign=campaign,
        area=area,
        defaults={
            "level": area.level,
            "signed_by": actor,
            "signer_name": signer_name.strip()[:100],
            "note": note.strip(),
        },
    )
    if area.level == Level.COUNTY or (area.parent_id is None and area.level != Level.VILLAGE):
        _close(campaign)
    return signed


def _unsigned_below(campaign: Campaign, area: Area) -> list[Area]:
    """The areas one level below `area` that hold households of the campaign and have not signed."""
    signed = set(campaign.sign_offs.values_list("area_id", flat=True))
    return [below for below in campaign_areas_below(campaign, area) if below.pk not in signed]


def _close(campaign: Campaign) -> None:
    households = Household.objects.filter(
        campaign_entries__campaign=campaign, campaign=campaign.name
    )
    households_campaign_set(households, "")
    campaign.state, campaign.closed_at = CampaignState.CLOSED, timezone.now()
    campaign.save(update_fields=["state", "closed_at", "updated_at"])


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("project").get(pk=campaign.pk)
