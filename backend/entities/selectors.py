"""Reads of entity lists: the names a project has, the phones' CSV and its version token, and
the integrity check's answer."""

import csv
import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from backend.accounts.access import Actor
from backend.entities.access import entities_for_actor
from backend.entities.models import Dataset, Entity, EntityVersion, RefusedEntity

_CHUNK = 2000
# The columns Collect reads first: the entity id, its label and its version (ODK Entities).
SYSTEM_COLUMNS = ("name", "label", "__version")


def dataset_names(*, project_id: int) -> set[str]:
    """The names of the project's entity lists."""
    return set(Dataset.objects.filter(project_id=project_id).values_list("name", flat=True))


def dataset_for_phone(*, project_id: int, name: str) -> Dataset | None:
    """The project's list of this name, with its project, or None."""
    return (
        Dataset.objects.select_related("project").filter(project_id=project_id, name=name).first()
    )


def dataset_columns(dataset: Dataset) -> list[str]:
    """The list's properties, in the order forms first saved to them."""
    return list(dataset.properties.order_by("pk").values_list("name", flat=True))


def datasets_with_counts(*, actor: Actor, datasets: QuerySet[Dataset]) -> list[Dataset]:
    """The lists, each with `entity_count` and `conflict_count`: the live entities the actor
    may see, and those of them with an open conflict. A project has a handful of lists."""
    found = list(datasets.prefetch_related("properties", "forms__form").order_by("name"))
    for dataset in found:
        counts = entities_for_actor(actor=actor, dataset=dataset).aggregate(
            entities=Count("pk"), conflicts=Count("pk", filter=~Q(conflict=""))
        )
        dataset.entity_count = counts["entities"]  # type: ignore[attr-defined]
        dataset.conflict_count = counts["conflicts"]  # type: ignore[attr-defined]
    return found


def entities_for_api(entities: QuerySet[Entity], *, conflict: bool | None) -> QuerySet[Entity]:
    """The entities as the API lists them, with their village and, for the access log, their
    project's id; `conflict` keeps those with (or without) an open conflict."""
    if conflict is not None:
        entities = entities.exclude(conflict="") if conflict else entities.filter(conflict="")
    return entities.select_related("village").annotate(project_id=F("dataset__project_id"))


def entities_page(entities: QuerySet[Entity], *, limit: int) -> tuple[list[Entity], int]:
    """The first `limit` entities by label, with their village, and how many there are."""
    shown = list(entities.select_related("village").order_by("label", "pk")[:limit])
    return shown, (len(shown) if len(shown) < limit else entities.count())


@dataclass(frozen=True)
class ListSummary:
    token: str  # the manifest hash and ETag
    count: int  # entities in the list


def entity_list_summary(dataset: Dataset, entities: QuerySet[Entity]) -> ListSummary:
    """The list's version token and size: it changes when an entity in it changes (its version
    or `updated_at`), enters or leaves it, or the list gains a property (a new column)."""
    summary = entities.aggregate(
        n=Count("*"), ids=Sum("id"), versions=Sum("version"), latest=Max("updated_at")
    )
    parts = [str(summary[key]) for key in ("n", "ids", "versions", "latest")]
    text = "|".join([*parts, *dataset_columns(dataset)])
    token = hashlib.md5(text.encode()).hexdigest()  # noqa: S324  a token, not a security hash
    return ListSummary(token=token, count=summary["n"] or 0)


def entity_list_rows(dataset: Dataset, entities: QuerySet[Entity]) -> Iterator[bytes]:
    """Stream the list as CSV: name, label, __version, then each property."""
    columns = dataset_columns(dataset)
    yield _line([*SYSTEM_COLUMNS, *columns])
    rows = entities.order_by("pk").values_list("uuid", "label", "version", "properties")
    buffer: list[bytes] = []
    for entity_id, label, version, properties in rows.iterator(chunk_size=_CHUNK):
        # Values go as they are, without the exports' formula guard: Collect reads data.
        buffer.append(_line([entity_id, label, version, *(properties.get(c, "") for c in columns)]))
        if len(buffer) >= _CHUNK:
            yield b"".join(buffer)
            buffer = []
    if buffer:
        yield b"".join(buffer)


def _line(values: list[object]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue().encode("utf-8")


def entity_states(*, dataset: Dataset, actor: Actor, ids: list[str]) -> dict[str, bool]:
    """Integrity for offline-created entities: deleted=False for live entities the actor sees,
    deleted=True for those deleted since and for those a submission created on a phone and the
    list refused. Unknown ids, and those out of the actor's sight, are left out."""
    normal = _uuids(ids)
    wanted = sorted(set(normal.values()))
    seen = entities_for_actor(actor=actor, dataset=dataset, with_deleted=True).filter(
        uuid__in=wanted
    )
    states = {str(u): deleted is not None for u, deleted in seen.values_list("uuid", "deleted_at")}
    # A refused entity that a later run created after all is no longer refused.
    refused = (
        RefusedEntity.objects.filter(dataset=dataset, uuid__in=wanted)
        .exclude(uuid__in=Entity.objects.filter(uuid__in=wanted).values("uuid"))
        .values_list("uuid", flat=True)
    )
    states |= {str(u): True for u in refused}
    return {i: states[normal[i]] for i in ids if normal.get(i) in states}


def _uuids(ids: list[str]) -> dict[str, str]:
    """Each id that is a UUID, with its canonical spelling."""
    valid = {}
    for entity_id in ids:
        try:
            valid[entity_id] = str(uuid.UUID(entity_id))
        except ValueError:
            continue
    return valid


def entity_history(entity: Entity) -> QuerySet[EntityVersion]:
    """The entity's versions, oldest first, with the submission that made each."""
    return entity.versions.select_related("submission", "actor").order_by("version")
