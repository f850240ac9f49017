"""Reads of households that the API and the pages share."""

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from backend.flags.models import Flag, FlagState
from backend.households.models import Household, HouseholdVersion
from backend.submissions.models import Submission


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


def household_names(*, project_id: int, uuids: list[str]) -> dict[str, Household]:
    """The project's households by UUID text, for lists that name them (the access log)."""
    valid = [value for value in uuids if _is_uuid(value)]
    found = Household.objects.filter(project_id=project_id, uuid__in=valid).only(
        "uuid", "code", "label", "project_id"
    )
    return {str(household.uuid): household for household in found}


def submission_titles(*, project_id: int, ids: list[str]) -> dict[str, str]:
    """A title for each of the project's submissions by id text: the household it changed (if
    any), its form and the day it arrived."""
    keys = [int(value) for value in ids if value.isdigit() and len(value) < 19]
    submissions = Submission.objects.filter(project_id=project_id, pk__in=keys)
    households = dict(
        HouseholdVersion.objects.filter(submission_id__in=keys)
        .order_by("submission_id", "pk")
        .values_list("submission_id", "household__label")
    )
    titles = {}
    for submission in submissions.select_related("form").only("pk", "created_at", "form__title"):
        day = date_format(timezone.localdate(submission.created_at), "DATE_FORMAT")
        parts = [households.get(submission.pk, ""), submission.form.title, day]
        titles[str(submission.pk)] = " · ".join(part for part in parts if part)
    return titles


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
