"""Pages of the entity lists other than the households: the project's lists, and one list's
entities as a table (scoped like the phones' lists; each look is logged)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.requests import client_ip
from backend.entities.access import access_dataset_by_name, datasets_for_actor, entities_for_actor
from backend.entities.selectors import dataset_columns, datasets_with_counts, entities_page
from backend.projects.models import Project, Role
from backend.web.pages import project_page

# Entities shown on the page; the API pages through all of them.
ROWS_SHOWN = 500


@require_GET
@project_page(role=Role.SUPERVISOR)
def datasets_page(request: SignedInRequest, project: Project) -> HttpResponse:
    """The project's entity lists, with their properties and how many entities they hold."""
    datasets = datasets_for_actor(actor=request.user, project=project)
    counted = datasets_with_counts(actor=request.user, datasets=datasets)
    return render(request, "entities/datasets.html", {"project": project, "datasets": counted})


@require_GET
@project_page(role=Role.SUPERVISOR)
def dataset_page(request: SignedInRequest, project: Project, name: str) -> HttpResponse:
    """One list's entities the viewer may see: label, village, version, conflict, properties."""
    dataset = access_dataset_by_name(request.user, project, name)
    entities = entities_for_actor(actor=request.user, dataset=dataset)
    shown, total = entities_page(entities, limit=ROWS_SHOWN)
    if shown:
        access_log_record(
            user=request.user,
            project_id=project.pk,
            kind=AccessKind.VIEW_ENTITY,
            object_type="entity",
            object_ids=[entity.uuid for entity in shown],
            ip=client_ip(request),
            detail=f"list {dataset.name}"[:255],
        )
    columns = dataset_columns(dataset)
    rows = [(entity, [entity.properties.get(c, "") for c in columns]) for entity in shown]
    context = {
        "project": project,
        "dataset": dataset,
        "columns": columns,
        "rows": rows,
        "total": total,
        "limit": ROWS_SHOWN,
    }
    return render(request, "entities/dataset.html", context)
