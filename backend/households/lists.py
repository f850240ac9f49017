"""The household list served to phones as the entity list `households.csv`."""

import csv
import io
from collections.abc import Iterable

from backend.accounts.access import Actor
from backend.households.access import households_for_actor
from backend.households.models import Household
from backend.projects.models import Project

# Entity-spec columns first; then the properties forms read, in a stable order.
SYSTEM_COLUMNS = ("name", "label", "__version")
SERVER_COLUMNS = ("village", "review_note")


def households_for_phone(*, project: Project, actor: Actor) -> list[Household]:
    """The households on this person's phone: exactly those they may see."""
    queryset = households_for_actor(actor=actor, project=project).select_related("village")
    return list(queryset.order_by("code"))


def household_list_csv(households: Iterable[Household]) -> bytes:
    """Render households as an ODK entity list: name, label, __version, then properties."""
    rows = list(households)
    properties = sorted({key for h in rows for key in h.properties} - set(SERVER_COLUMNS))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*SYSTEM_COLUMNS, *SERVER_COLUMNS, *properties])
    for household in rows:
        writer.writerow(
            [
                str(household.uuid),
                household.label,
                household.version,
                household.village.code,
                household.review_note,
                *(household.properties.get(key, "") for key in properties),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def household_states(*, project: Project, actor: Actor, ids: Iterable[str]) -> dict[str, bool]:
    """Integrity for offline-created entities: deleted=False for households the actor sees.

    Unknown ids are left out, as the protocol allows; households are never deleted yet.
    """
    visible = {str(h.uuid) for h in households_for_phone(project=project, actor=actor)}
    return {entity_id: False for entity_id in ids if entity_id in visible}
