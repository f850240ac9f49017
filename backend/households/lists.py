"""The household list served to phones as the entity list `households.csv`.

The list is streamed (flat memory for any size) and its version token comes from one aggregate
query: it changes whenever a household this person sees is added, removed or saved, because every
write goes through a service that saves the row (and so moves `updated_at` and the version).
"""

import csv
import hashlib
import io
import uuid
from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Max, QuerySet, Sum

from backend.accounts.access import Actor
from backend.households.access import households_for_actor
from backend.households.models import Household
from backend.projects.models import Project

# Entity-spec columns first; then the server's own, then every entity property, sorted.
SYSTEM_COLUMNS = ("name", "label", "__version")
SERVER_COLUMNS = ("village", "review_note")
_CHUNK = 2000


def households_for_phone(*, project: Project, actor: Actor) -> QuerySet[Household]:
    """The households on this person's phone: exactly those they may see."""
    return households_for_actor(actor=actor, project=project)


def household_list_token(households: QuerySet[Household]) -> str:
    """A version token for the list (the manifest hash): changes exactly when the list does."""
    summary = households.aggregate(
        n=Count("id"), changed=Max("updated_at"), versions=Sum("version")
    )
    try:
        scope = str(households.query)  # differs between people who see different households
    except EmptyResultSet:
        scope = "none"
    text = f"{summary['n']}|{summary['changed']}|{summary['versions']}|{scope}"
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324  a token, not a security hash


def household_list_rows(households: QuerySet[Household]) -> Iterator[bytes]:
    """Stream the list as CSV lines: name, label, __version, then server columns and properties."""
    properties = _property_columns(households)
    yield _line([*SYSTEM_COLUMNS, *SERVER_COLUMNS, *properties])
    rows = (
        households.select_related("village")
        .only("uuid", "label", "version", "review_note", "properties", "village__code")
        .order_by("code")
    )
    for household in rows.iterator(chunk_size=_CHUNK):
        yield _line(
            [
                str(household.uuid),
                household.label,
                household.version,
                household.village.code,
                household.review_note,
                *(household.properties.get(key, "") for key in properties),
            ]
        )


def household_list_csv(households: QuerySet[Household]) -> bytes:
    """The whole list at once (small lists and tests)."""
    return b"".join(household_list_rows(households))


def _property_columns(households: QuerySet[Household]) -> list[str]:
    keys: set[str] = set()
    for properties in households.values_list("properties", flat=True).iterator(chunk_size=_CHUNK):
        keys.update(properties)
    return sorted(keys - set(SERVER_COLUMNS))


def _line(values: list[object]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


def household_states(*, project: Project, actor: Actor, ids: list[str]) -> dict[str, bool]:
    """Integrity for offline-created entities: deleted=False for households the actor sees.

    Unknown ids are left out, as the protocol allows; households are never deleted yet.
    """
    wanted = [i for i in ids if len(i) == 36]
    visible = households_for_phone(project=project, actor=actor).filter(uuid__in=_uuids(wanted))
    found = {str(u) for u in visible.values_list("uuid", flat=True)}
    return {entity_id: False for entity_id in ids if entity_id in found}


def _uuids(ids: list[str]) -> list[str]:
    valid = []
    for entity_id in ids:
        try:
            valid.append(str(uuid.UUID(entity_id)))
        except ValueError:
            continue
    return valid
