"""Which entities of a list a person may see: the one rule the phones, the API and the pages
share (docs/openrosa.md, "Other entity lists").

An entity placed in a village (its `village` property, or the village of the submission that
created it) is seen as a household there would be: by the people whose areas hold the village,
and by the field worker who created it. An entity placed nowhere belongs to the whole project.
"""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, areas_within, assigned_area_ids, project_role
from backend.core.errors import NotFound
from backend.entities.models import Dataset, Entity
from backend.projects.models import Project, Role


def datasets_for_actor(*, actor: Actor, project: Project) -> QuerySet[Dataset]:
    """The project's entity lists, for anyone who may see some of their entities."""
    role = project_role(actor, project)
    datasets = Dataset.objects.filter(project=project)
    return datasets.none() if role is None or role == Role.DEPARTMENT else datasets


def entities_for_actor(
    *, actor: Actor, dataset: Dataset, with_deleted: bool = False
) -> QuerySet[Entity]:
    """The entities of the list the actor may see (deleted ones only when asked for).

    Field workers: those placed nowhere, those they created, those in their villages.
    Supervisors and admins: those placed nowhere and those in their areas, or all when no area
    is assigned. Department staff: none.
    """
    entities = Entity.objects.filter(dataset=dataset)
    if not with_deleted:
        entities = entities.filter(deleted_at__isnull=True)
    project = dataset.project
    role = project_role(actor, project)
    if role is None or role == Role.DEPARTMENT:
        return entities.none()
    areas = assigned_area_ids(actor, project)
    if not areas and role != Role.COLLECTOR:
        return entities
    in_areas = Q(village_id__in=sorted(areas_within(areas))) if areas else Q(pk__in=[])
    placed_nowhere = Q(village__isnull=True)
    if role == Role.COLLECTOR:
        return entities.filter(placed_nowhere | in_areas | Q(creator_id=actor.pk))
    return entities.filter(placed_nowhere | in_areas)


def access_dataset_by_name(actor: Actor, project: Project, name: str) -> Dataset:
    """The list if the actor may see it; NotFound for missing and forbidden alike."""
    dataset = datasets_for_actor(actor=actor, project=project).filter(name=name).first()
    if dataset is None:
        raise NotFound(_("Entity list not found."))
    dataset.project = project  # the scope reads the project's roles: no second read
    return dataset


def access_entity_by_uuid(actor: Actor, dataset: Dataset, entity_id: str) -> Entity:
    """The entity if the actor may see it; NotFound for missing and forbidden alike."""
    try:
        key = uuid.UUID(entity_id)
    except ValueError:
        raise NotFound(_("Entity not found.")) from None
    entity = entities_for_actor(actor=actor, dataset=dataset).filter(uuid=key).first()
    if entity is None:
        raise NotFound(_("Entity not found."))
    return entity


def may_change_entity(actor: Actor | None, entity: Entity) -> bool:
    """Whether a submission sent by `actor` may update the entity: one on their own phone's
    list."""
    if actor is None:
        return False
    if entity.creator_id == actor.pk:
        return True
    visible = entities_for_actor(actor=actor, dataset=entity.dataset)
    return visible.filter(pk=entity.pk).exists()
