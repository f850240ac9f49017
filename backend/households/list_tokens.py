"""The household list's version token as the phones' manifests ask for it: kept in the cache.

Every manifest of a form that reads `households.csv` names the list's token, and a phone asks for
the manifests of all its forms at each update: computing the token is an aggregate over the
person's scope each time. It is kept per scope (`household_scope`: everyone whose list is the same
shares it) and per project generation, which every write of a household bumps (the signals in
apps.py for save() and delete(), `households_lines_changed` for the services' updates;
list_generation.py), as does a
change of the area tree (the areas generation) or of the list's columns (the layout's id). What a
write past all of these leaves stale is seen after SYNC_CACHE_SECONDS at most, as the other
phone caches (backend/core/cache.py).

The list's download computes its token afresh (lists.py): the bytes it keeps on disk are always
filed under the token they were rendered with.
"""

import hashlib

from backend.accounts.access import Actor
from backend.areas.lists import AREAS_GENERATION
from backend.core.cache import cached, generation
from backend.households.access import household_scope
from backend.households.lines import list_layout
from backend.households.list_generation import households_generation
from backend.households.lists import household_list_token, households_for_phone
from backend.projects.models import Project


def phone_list_token(*, project: Project, actor: Actor) -> str:
    """The token of the household list this person's phone would download now."""
    scope = household_scope(actor=actor, project=project)
    parts = (
        "household-list-token",
        str(project.pk),
        generation(households_generation(project.pk)),
        generation(AREAS_GENERATION),
        str(list_layout(project.pk).id),
        hashlib.sha256(scope.encode()).hexdigest()[:32],
    )
    return cached(
        ":".join(parts),
        lambda: household_list_token(project, households_for_phone(project=project, actor=actor)),
        in_process=True,
    )
