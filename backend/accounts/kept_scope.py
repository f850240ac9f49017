"""A person's assigned areas as the keys of what phones are sent from the cache.

The household list's token and the village list are kept per scope (backend/households/
list_tokens.py, backend/areas/lists.py); a manifest asks for both, so reading the person's areas
from the database on every manifest would cost more than the manifest's own work. Here they are
kept until a membership or an assignment changes (the "memberships" generation, bumped by the
signals in apps.py), SYNC_CACHE_SECONDS at most.

Only for keys: a decision about what someone may see or change reads `assigned_area_ids`,
never this. A key a moment out of date names a kept document a moment out of date, which the
phone replaces at its next update; the list it downloads is always read in its current scope.
"""

from backend.accounts.access import Actor, assigned_area_ids
from backend.core.cache import bump_with_transaction, cached, generation
from backend.projects.models import Project

MEMBERSHIPS_GENERATION = "memberships"


def kept_assigned_area_ids(actor: Actor, project: Project) -> list[int]:
    """The areas assigned to the actor in the project, as kept for keys."""
    key = f"assigned-areas:{generation(MEMBERSHIPS_GENERATION)}:{project.pk}:{actor.pk}"
    return list(cached(key, lambda: assigned_area_ids(actor, project), in_process=True))


def memberships_changed(**_signal: object) -> None:
    """A membership saved or deleted, or its areas changed, by whatever door."""
    bump_with_transaction(MEMBERSHIPS_GENERATION)
