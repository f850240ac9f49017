"""The write paths of entity lists other than the households: registering a list at publish,
deleting an entity, marking a conflict resolved. Submissions change entities through merge.py."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.entities.models import Dataset, DatasetForm, DatasetProperty, Entity, EntityConflict


@dataclass(frozen=True)
class DeclaredList:
    """What a form version declares about one list: its actions and the properties it saves."""

    name: str
    creates: bool
    updates: bool
    properties: tuple[str, ...]


def declared_lists(declarations: Iterable[Mapping[str, object]]) -> list[DeclaredList]:
    """Fold a form version's entity declarations (forms/xform.py) by list: a list declared in
    a repeat and at the root is one list with both declarations' actions and properties."""
    found: dict[str, DeclaredList] = {}
    for decl in declarations:
        name = str(decl.get("dataset", ""))
        saved = dict(decl.get("properties", {}) or {})  # type: ignore[call-overload]
        before = found.get(name, DeclaredList(name, False, False, ()))
        found[name] = DeclaredList(
            name=name,
            creates=before.creates or bool(decl.get("create")),
            updates=before.updates or bool(decl.get("update")),
            properties=tuple(dict.fromkeys([*before.properties, *map(str, saved.values())])),
        )
    return [declared for name, declared in found.items() if name]


@transaction.atomic
def datasets_register(*, project_id: int, form_id: int, lists: Iterable[DeclaredList]) -> list[str]:
    """Register the lists a newly published form version writes to, with their new properties
    and what the form may do to each. Return the names of the lists that did not exist yet.

    Part of publishing (forms/services.py), in its transaction."""
    created: list[str] = []
    declared = list(lists)
    for item in declared:
        dataset, new = Dataset.objects.get_or_create(project_id=project_id, name=item.name)
        if new:
            created.append(item.name)
        known = set(dataset.properties.values_list("name", flat=True))
        DatasetProperty.objects.bulk_create(
            [DatasetProperty(dataset=dataset, name=p) for p in item.properties if p not in known]
        )
        DatasetForm.objects.update_or_create(
            dataset=dataset,
            form_id=form_id,
            defaults={"creates": item.creates, "updates": item.updates},
        )
    # The form's new version no longer writes to the lists it leaves out.
    DatasetForm.objects.filter(form_id=form_id).exclude(
        dataset__name__in=[item.name for item in declared]
    ).delete()
    return created


@transaction.atomic
def entity_delete(*, entity: Entity, actor: User) -> Entity:
    """Take the entity off the phones' lists; the integrity check reports it deleted."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.deleted_at is None:
        entity.deleted_at, entity.deleted_by = timezone.now(), actor
        entity.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return entity


@transaction.atomic
def entity_resolve_conflict(*, entity: Entity, actor: User, note: str) -> Entity:
    """A supervisor has checked the parallel updates: clear the mark (the current version
    stands), keeping who and why."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    entity.conflict = EntityConflict.NONE
    entity.conflict_resolved_at, entity.conflict_resolved_by = timezone.now(), actor
    entity.conflict_note = note
    entity.save(
        update_fields=[
            "conflict",
            "conflict_resolved_at",
            "conflict_resolved_by",
            "conflict_note",
            "updated_at",
        ]
    )
    return entity
