from django.db import transaction

from backend.accounts.models import User
from backend.areas.models import Area
from backend.households.models import Household, HouseholdVersion
from backend.households.properties import apply_properties
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
    HouseholdVersion.objects.create(
        household=household,
        version=1,
        label=label,
        data=household.properties,
        received=household.properties,
        actor=actor,
    )
    return household
