from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.areas.models import Area
from backend.households.derived import household_before, household_written
from backend.households.lines import households_lines_changed, refresh_household_lines
from backend.households.models import Conflict, Household, HouseholdVersion
from backend.households.properties import apply_properties
from backend.monitoring.engine import household_rules_apply
from backend.projects.models import Project


@transaction.atomic
def household_register(
    *,
    project: Project,
    code: str,
    label: str,
    village: Area,
    properties: dict[str, str],
    helper: User | None = None,
    actor: User | None = None,
) -> Household:
    """Register a household outside a form (imports, demo data): version 1 with its history."""
    household = Household(
        project=project,
        code=code,
        label=label,
        village=village,
        head_name=properties.get("head_name", ""),
        helper=helper,
        properties=dict(properties),
    )
    apply_properties(household, properties)
    household.village = village
    household.save()
    household_written(household, before=None)
    HouseholdVersion.objects.create(
        household=household,
        version=1,
        label=label,
        data=household.properties,
        received=household.properties,
        actor=actor,
    )
    # An imported D house or a 2,500-yuan income is a problem before anyone visits.
    household_rules_apply(household=household)
    return household


@transaction.atomic
def household_resolve_conflict(*, household: Household, actor: User, note: str) -> Household:
    """A supervisor has checked the parallel updates: clear the mark, keeping who and why."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = household_before(household)
    household.conflict = Conflict.NONE
    household.conflict_resolved_at, household.conflict_resolved_by = timezone.now(), actor
    household.conflict_note = note
    household.save(
        update_fields=[
            "conflict",
            "conflict_resolved_at",
            "conflict_resolved_by",
            "conflict_note",
            "updated_at",
        ]
    )
    household_written(household, before=before)
    return household


@transaction.atomic
def household_status_record(
    *,
    household: Household,
    category: str,
    included_on: date | None,
    risk_eliminated_on: date | None,
    actor: User | None,
) -> HouseholdVersion:
    """Give the household a category and its monitoring dates, as a new version of its history.

    Only an approved case calls this (backend/casework): forms do not change the category of a
    registered household. The version names the actor; the case names the version.
    """
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = household_before(household)
    changes = {
        "category": category,
        "included_on": included_on.isoformat() if included_on else "",
        "risk_eliminated_on": risk_eliminated_on.isoformat() if risk_eliminated_on else "",
    }
    household.category = category
    household.included_on, household.risk_eliminated_on = included_on, risk_eliminated_on
    # The rules read the category from the properties, as the forms saved it.
    household.properties = {**household.properties, "category": category}
    household.version += 1
    household.save()
    household_written(household, before=before)
    version = HouseholdVersion.objects.create(
        household=household,
        version=household.version,
        label=household.label,
        data=household.properties,
        received=changes,
        base_version=household.version - 1,
        actor=actor,
    )
    household_rules_apply(household=household)
    return version


def households_campaign_set(households: QuerySet[Household], campaign: str) -> int:
    """Mark the households as visited by a campaign (`""`: none); how many changed. One UPDATE
    for any number: the lines of the phones' list are rendered again in the background and read
    fresh meanwhile (lines.py), and their change numbers move so the phones fetch the list."""
    changing = households.exclude(campaign=campaign)
    ids = list(changing.values_list("pk", flat=True))
    if not ids:
        return 0
    marked = Household.objects.filter(pk__in=ids)
    marked.update(campaign=campaign, updated_at=timezone.now())
    households_lines_changed(marked)
    for project_id in set(marked.values_list("project_id", flat=True)):
        transaction.on_commit(partial(refresh_household_lines.enqueue, project_id))
    return len(ids)


def household_reinspector_set(*, household: Household, reinspector_id: int | None) -> None:
    """Put the house on another worker's phone list for the county's re-inspection (None takes
    it off); the list's token moves as the house enters or leaves that list."""
    Household.objects.filter(pk=household.pk).update(
        reinspector_id=reinspector_id, updated_at=timezone.now()
    )
    households_lines_changed(Household.objects.filter(pk=household.pk))
    household.reinspector_id = reinspector_id


def household_case_note_set(*, household: Household, note: str) -> None:
    """Show the phones the household's open case and its step ("" once none is open). Not a
    version of the household: the case keeps its own history."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.case_note == note:
        return
    before = household_before(household)
    household.case_note = note
    household.save(update_fields=["case_note", "updated_at"])
    household_written(household, before=before)


@transaction.atomic
def household_edit(*, household: Household) -> Household:
    """Save a household edited as a whole (the admin's form), new or changed, with its copies.

    The form has checked the fields; the row as stored says what the edit changed.
    """
    stored = (
        Household.objects.select_for_update().filter(pk=household.pk).first()
        if household.pk is not None
        else None
    )
    before = household_before(stored) if stored is not None else None
    household.save()
    household_written(household, before=before)
    return household
