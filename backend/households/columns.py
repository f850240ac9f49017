"""The property names of a project's households (HouseholdProperty): the list's columns."""

from collections.abc import Iterable

from backend.core.cache import cached, forget
from backend.households.models import HouseholdProperty


def property_keys(project_id: int) -> list[str]:
    """Every property name the project's households have, sorted."""
    return sorted(_known(project_id))


def property_keys_remember(project_id: int, keys: Iterable[str]) -> bool:
    """Record names not seen before; whether there were any. Called by household_line_write."""
    new = set(keys) - _known(project_id)
    if new:
        HouseholdProperty.objects.bulk_create(
            [HouseholdProperty(project_id=project_id, key=key[:255]) for key in new],
            ignore_conflicts=True,  # another request may add the same name at the same time
        )
        forget(_cache_key(project_id))
    return bool(new)


def _known(project_id: int) -> set[str]:
    return cached(
        _cache_key(project_id),
        lambda: set(
            HouseholdProperty.objects.filter(project_id=project_id).values_list("key", flat=True)
        ),
    )


def _cache_key(project_id: int) -> str:
    return f"household-properties:{project_id}"
