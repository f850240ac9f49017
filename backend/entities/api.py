"""JSON API for the entity lists other than the households: the lists of a project, their
entities (scoped like the phones' lists), conflicts marked resolved, entities deleted."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.audit.api_log import LoggedCursorPagination
from backend.audit.models import AccessKind
from backend.core.schemas import ERRORS
from backend.entities.access import (
    access_dataset_by_name,
    access_entity_by_uuid,
    datasets_for_actor,
    entities_for_actor,
)
from backend.entities.models import Dataset, Entity
from backend.entities.schemas import DatasetOut, EntityOut, ResolveIn
from backend.entities.selectors import datasets_with_counts, entities_for_api
from backend.entities.services import entity_delete, entity_resolve_conflict
from backend.projects.models import Role

router = Router(tags=["entity lists"])


@router.get("/projects/{slug}/datasets", response={200: list[DatasetOut], **ERRORS})
def list_datasets(request: HttpRequest, slug: str) -> list[Dataset]:
    """The project's entity lists other than the households: their properties, the forms that
    create and update their entities, and how many of their entities (and open conflicts) the
    caller may see."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    datasets = datasets_for_actor(actor=request.user, project=project)
    return datasets_with_counts(actor=request.user, datasets=datasets)


@router.get("/projects/{slug}/datasets/{name}/entities", response={200: list[EntityOut], **ERRORS})
@paginate(
    LoggedCursorPagination,
    ordering=("pk",),
    page_size=100,
    log=(AccessKind.VIEW_ENTITY, "entity", "uuid"),
)
def list_entities(
    request: HttpRequest, slug: str, name: str, conflict: bool | None = None
) -> QuerySet[Entity]:
    """The list's entities the caller may see (`conflict=true`: those with an open conflict).

    Each page is written to the access log (one row per entity, in one insert)."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    dataset = access_dataset_by_name(request.user, project, name)
    entities = entities_for_actor(actor=request.user, dataset=dataset)
    return entities_for_api(entities, conflict=conflict)


@router.post(
    "/projects/{slug}/datasets/{name}/entities/{entity_id}/resolve",
    response={200: EntityOut, **ERRORS},
)
def resolve_entity_conflict(
    request: SignedInRequest, slug: str, name: str, entity_id: str, body: ResolveIn
) -> Entity:
    """Mark an entity's parallel updates as checked: its current version stands."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    dataset = access_dataset_by_name(request.user, project, name)
    entity = access_entity_by_uuid(request.user, dataset, entity_id)
    return entity_resolve_conflict(entity=entity, actor=request.user, note=body.note.strip())


@router.delete(
    "/projects/{slug}/datasets/{name}/entities/{entity_id}", response={204: None, **ERRORS}
)
def delete_entity(request: SignedInRequest, slug: str, name: str, entity_id: str) -> Status[None]:
    """Take an entity off the phones' lists (admins); phones that created it offline drop it
    at their next integrity check."""
    project = access_project_by_slug(request.user, slug, role=Role.ADMIN)
    dataset = access_dataset_by_name(request.user, project, name)
    entity = access_entity_by_uuid(request.user, dataset, entity_id)
    entity_delete(entity=entity, actor=request.user)
    return Status(204, None)
