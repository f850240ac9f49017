"""Submissions change the entities of lists other than the households by the ODK Entities
rules, as ODK Central applies them (docs/openrosa.md, "Other entity lists").

- create: a new entity from the received properties; the label is required, the id must be new.
- update: received properties overwrite, absent ones are kept, a blank label keeps the old one.
  Updates always apply, in arrival order; one based on an older version marks a conflict:
  soft when different properties changed, hard when the same ones changed differently.
- Each block stands alone: a refused one is reported and the others still apply.
- Every change is an EntityVersion naming its submission. A submission (or any edit of it)
  changes an entity once: processing it again changes nothing.
- Offline updates (branchId / trunkVersion) apply in their branch's order: one whose predecessor
  has not arrived is held, released when the predecessor applies, and forced through (with a
  conflict mark) once it has waited HOUSEHOLD_BACKLOG_HOURS.
"""

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.entities.access import may_change_entity
from backend.entities.models import (
    VILLAGE_PROPERTY,
    Dataset,
    Entity,
    EntityConflict,
    EntityVersion,
    HeldEntityUpdate,
    RefusedEntity,
)
from backend.entities.offline import (
    OfflineHeld,
    UnknownBase,
    branch_interrupted,
    server_base,
    version_number,
)


@dataclass(frozen=True)
class EntityBlock:
    """One `meta/entity` of a submission, with the properties it saves."""

    dataset: str
    entity_id: str  # as received
    create: bool
    update: bool
    base_version: str
    trunk_version: str
    branch_id: str
    label: str
    received: dict[str, str]


@dataclass(frozen=True)
class Source:
    """The submission the blocks come from."""

    submission_id: int
    chain: tuple[int, ...]  # the submission and the earlier versions it supersedes
    project_id: int
    actor: User | None
    village_id: int | None  # the submission's village, for entities placed by no property
    force: bool = False  # apply held offline updates whose predecessor never came


@dataclass(frozen=True)
class Refusal:
    dataset: str
    entity_id: str
    reason: str


@dataclass
class MergeResult:
    versions: list[EntityVersion] = dataclasses.field(default_factory=list)
    held: int = 0
    # Held submissions whose predecessor has just been applied: process them next.
    released: list[int] = dataclasses.field(default_factory=list)
    refused: list[Refusal] = dataclasses.field(default_factory=list)

    @property
    def conflicts(self) -> list[EntityVersion]:
        return [v for v in self.versions if v.conflict != EntityConflict.NONE]


class _Refused(Exception):
    pass


@transaction.atomic
def entities_merge(*, source: Source, blocks: Sequence[EntityBlock]) -> MergeResult:
    """Apply the blocks in order; each refused one is listed in the result, with why."""
    result = MergeResult()
    datasets = {
        d.name: d
        for d in Dataset.objects.filter(
            project_id=source.project_id, name__in={b.dataset for b in blocks}
        )
    }
    for block in blocks:
        try:
            with transaction.atomic():
                version = _apply(source, datasets.get(block.dataset), block)
        except OfflineHeld:
            _hold(source, block)
            result.held += 1
            continue
        except _Refused as refused:
            result.refused.append(Refusal(block.dataset, block.entity_id, str(refused)))
            _refused_record(source, datasets.get(block.dataset), block)
            continue
        if version is not None:
            result.versions.append(version)
            result.released += _successors(version)
    return result


def _apply(source: Source, dataset: Dataset | None, block: EntityBlock) -> EntityVersion | None:
    if not (block.create or block.update):
        return None
    if dataset is None:
        raise _Refused(_("The entity list %(list)s does not exist.") % {"list": block.dataset})
    entity_id = _uuid(block.entity_id)
    entity = Entity.objects.select_for_update().filter(uuid=entity_id).first()
    if entity is not None and entity.dataset_id != dataset.pk:
        raise _Refused(_("The entity id %(id)s belongs to another list.") % {"id": entity_id})
    if entity is not None:
        entity.dataset = dataset
        if entity.versions.filter(submission_id__in=source.chain).exists():
            return None  # this submission, or an earlier version of it, already changed it
    if block.update and entity is not None:
        if entity.deleted_at is not None:
            raise _Refused(_("The entity %(id)s was deleted.") % {"id": entity_id})
        if not may_change_entity(source.actor, entity):
            raise _Refused(
                _("The entity %(id)s is outside the sender's areas.") % {"id": entity_id}
            )
        return _update(source, entity, block)
    if block.create and entity is None:
        return _create(source, dataset, entity_id, block)
    if entity is None:
        raise _Refused(_("The entity %(id)s does not exist.") % {"id": entity_id})
    raise _Refused(_("The entity %(id)s already exists.") % {"id": entity_id})


def _uuid(raw: str) -> str:
    value = raw.strip().lower().removeprefix("uuid:")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _Refused(_("The entity id %(id)s is not a UUID.") % {"id": raw}) from None


def _create(source: Source, dataset: Dataset, entity_id: str, block: EntityBlock) -> EntityVersion:
    if not block.label:
        raise _Refused(_("A new entity needs a label."))
    entity = Entity.objects.create(
        dataset=dataset,
        uuid=entity_id,
        label=block.label[:255],
        properties=dict(block.received),
        village_id=_village_id(block.received, default=source.village_id),
        creator=source.actor,
    )
    return _version_record(
        source, entity, block, base=None, conflict=EntityConflict.NONE, conflicting=[]
    )


def _village_id(received: dict[str, str], *, default: int | None) -> int | None:
    """The village the `village` property names (an area code); without one, `default`."""
    code = received.get(VILLAGE_PROPERTY, "").strip()
    if not code:
        return default
    village = Area.objects.filter(code=code, level=Level.VILLAGE).values_list("pk", flat=True)
    found = village.first()
    if found is None:
        raise _Refused(_("The village %(code)s is unknown.") % {"code": code})
    return found


def _update(source: Source, entity: Entity, block: EntityBlock) -> EntityVersion:
    base, forced = _server_base(entity, block, force=source.force)
    conflict, conflicting = _conflict(entity, base, block)
    if conflict == EntityConflict.NONE and (forced or _branch_interrupted(entity, block)):
        conflict = EntityConflict.SOFT
    if VILLAGE_PROPERTY in block.received:
        entity.village_id = _village_id(block.received, default=entity.village_id)
    entity.properties = {**entity.properties, **block.received}
    if block.label:
        entity.label = block.label[:255]
    entity.version += 1
    if conflict == EntityConflict.HARD or (
        conflict == EntityConflict.SOFT and entity.conflict != EntityConflict.HARD
    ):
        entity.conflict = conflict  # a hard conflict is never downgraded
    entity.save()
    HeldEntityUpdate.objects.filter(
        submission_id=source.submission_id, entity_uuid=entity.uuid
    ).delete()
    return _version_record(
        source, entity, block, base=base, conflict=conflict, conflicting=conflicting
    )


def _server_base(entity: Entity, block: EntityBlock, *, force: bool) -> tuple[int, bool]:
    try:
        return server_base(entity.versions.all(), entity.version, block, force=force)
    except UnknownBase as exc:
        if exc.base is None:
            raise _Refused(_("The update does not say which version it is based on.")) from exc
        raise _Refused(
            _("The update is based on version %(base)s, which this entity never had.")
            % {"base": exc.base}
        ) from exc


def _branch_interrupted(entity: Entity, block: EntityBlock) -> bool:
    return branch_interrupted(entity.versions.all(), block)


def _conflict(entity: Entity, base: int, block: EntityBlock) -> tuple[str, list[str]]:
    """Compare with the version the phone saw; the server's changes since then decide."""
    if base == entity.version:
        return EntityConflict.NONE, []
    seen = entity.versions.filter(version=base).first()
    before = {**(seen.data if seen else {}), "__label": seen.label if seen else ""}
    now = {**entity.properties, "__label": entity.label}
    changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
    received = {**block.received, **({"__label": block.label} if block.label else {})}
    conflicting = sorted(
        key for key, value in received.items() if key in changed and value != now.get(key)
    )
    return (EntityConflict.HARD if conflicting else EntityConflict.SOFT), [
        key.replace("__label", "label") for key in conflicting
    ]


def _hold(source: Source, block: EntityBlock) -> None:
    HeldEntityUpdate.objects.get_or_create(
        submission_id=source.submission_id,
        entity_uuid=_uuid(block.entity_id),
        defaults={
            "branch_id": block.branch_id,
            "branch_base_version": version_number(block.base_version) or 0,
        },
    )


def _successors(version: EntityVersion) -> list[int]:
    if not version.branch_id or version.branch_base_version is None:
        return []
    waiting = HeldEntityUpdate.objects.filter(
        branch_id=version.branch_id, branch_base_version=version.branch_base_version + 1
    )
    return list(waiting.values_list("submission_id", flat=True))


def _refused_record(source: Source, dataset: Dataset | None, block: EntityBlock) -> None:
    """Keep the id of an entity this submission would have created, for the list's integrity
    check: the phone that created it offline drops it."""
    if dataset is None or not block.create:
        return
    try:
        entity_id = _uuid(block.entity_id)
    except _Refused:
        return
    if not Entity.objects.filter(uuid=entity_id).exists():
        RefusedEntity.objects.get_or_create(
            dataset=dataset, uuid=entity_id, defaults={"submission_id": source.submission_id}
        )


def _version_record(
    source: Source,
    entity: Entity,
    block: EntityBlock,
    *,
    base: int | None,
    conflict: str,
    conflicting: list[str],
) -> EntityVersion:
    """The version the submission made; `received` keeps what the phone sent, `data` what the
    entity holds after it."""
    return EntityVersion.objects.create(
        entity=entity,
        version=entity.version,
        label=entity.label,
        data=entity.properties,
        received=block.received,
        base_version=base,
        branch_id=block.branch_id,
        trunk_version=version_number(block.trunk_version),
        branch_base_version=version_number(block.base_version),
        conflict=conflict,
        conflicting_properties=conflicting,
        submission_id=source.submission_id,
        actor=source.actor,
    )
