"""Which households a campaign visits: its villages (all when none), narrowed by categories,
an income below a line in a year, priority groups and open problems (any of the groups)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from backend.accounts.access import areas_within
from backend.campaigns.models import Campaign
from backend.flags.models import Flag, FlagState
from backend.households.models import Household

# The priority groups seed 003 names for screening, by the properties the forms save.
PRIORITY_GROUPS: dict[str, Q] = {
    "house_cd": Q(house_grade__in=("C", "D")),
    "illness": Q(properties__has_serious_illness="yes") | Q(properties__has_chronic_illness="yes"),
    "disabled": Q(properties__has_disabled="yes"),
    "dibao": Q(properties__dibao="yes"),
    "extreme_poor": Q(properties__extreme_poor="yes"),
    "elderly": Q(properties__has_elderly="yes"),
}


def campaign_scope(campaign: Campaign) -> QuerySet[Household]:
    """The project's households the campaign's scope takes in."""
    households = Household.objects.filter(project_id=campaign.project_id)
    villages = list(campaign.villages.values_list("pk", flat=True))
    if villages:
        households = households.filter(village_id__in=sorted(areas_within(villages)))
    if campaign.categories:
        households = households.filter(category__in=campaign.categories)
    if campaign.income_below is not None:
        income = Q(income_per_capita__lt=campaign.income_below)
        if campaign.income_year is not None:
            income &= Q(income_year=campaign.income_year)
        households = households.filter(income)
    if campaign.priority_groups:
        groups = Q()
        for group in campaign.priority_groups:
            groups |= PRIORITY_GROUPS[group]
        households = households.filter(groups)
    if campaign.with_open_flags:
        open_flag = Flag.objects.filter(household=OuterRef("pk"), state=FlagState.OPEN)
        households = households.filter(Exists(open_flag))
    return households
