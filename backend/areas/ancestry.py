"""An area's place in the tree, as the monitoring rules read it on every household they run on
(the line of a village is its own, else its township's, else its county's): kept per areas
generation, which every save or delete of an area bumps (backend/areas/apps.py)."""

from functools import partial

from backend.areas.lists import AREAS_GENERATION
from backend.areas.models import Area
from backend.core.cache import cached_on_generation

# Deeper than any county's tree (county, township, village, group): a loop written by hand in
# the database stops here.
_MAX_DEPTH = 8


def area_and_ancestors(area_id: int | None) -> tuple[int, ...]:
    """The area's id and those of the areas above it, nearest first; () for no area."""
    if area_id is None:
        return ()
    return cached_on_generation(AREAS_GENERATION, f"ancestry:{area_id}", partial(_read, area_id))


def _read(area_id: int) -> tuple[int, ...]:
    ids: list[int] = []
    current: int | None = area_id
    while current is not None and len(ids) < _MAX_DEPTH:
        ids.append(current)
        current = Area.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return tuple(ids)
