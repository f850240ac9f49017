"""Reads of households that the API and the pages share."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from backend.flags.models import Flag, FlagState
from backend.households.models import Household


@dataclass(frozen=True)
class HouseholdQuery:
    """The filters of a list of households."""

    village: str = ""  # a village's code
    category: str = ""
    flag: str = ""  # a flag code: the households with an open flag of it
    conflict: bool | None = None  # with an open conflict (True), without (False), either


def households_list(households: QuerySet[Household], query: HouseholdQuery) -> QuerySet[Household]:
    """These households (the ones a reader may see) that match the query, with what a list
    item shows: the village and the open flags."""
    if query.village:
        households = households.filter(village__code=query.village)
    if query.category:
        households = households.filter(category=query.category)
    if query.flag:
        households = households.filter(flags__code=query.flag, flags__state=FlagState.OPEN)
    if query.conflict is not None:
        households = (
            households.exclude(conflict="") if query.conflict else households.filter(conflict="")
        )
    return _with_open_flags(households)


def household_with_open_flags(household: Household) -> Household:
    """The household again, with its village and its open flags."""
    return _with_open_flags(Household.objects.filter(pk=household.pk)).get()


def household_for_page(household: Household) -> Household:
    """The household again, with its village and its helper."""
    return Household.objects.select_related("village", "helper").get(pk=household.pk)


def _with_open_flags(households: QuerySet[Household]) -> QuerySet[Household]:
    open_flags = Prefetch("flags", queryset=Flag.objects.filter(state=FlagState.OPEN))
    return households.select_related("village").prefetch_related(open_flags)
