"""JSON API for areas: the county → township → village tree the caller works in."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import CursorPagination, paginate

from backend.accounts.access import access_project_by_slug
from backend.areas.access import access_area_by_code, areas_for_actor
from backend.areas.models import Area
from backend.areas.schemas import AreaFilters, AreaOut
from backend.core.schemas import ERRORS

router = Router(tags=["areas"])


@router.get("/projects/{slug}/areas", response={200: list[AreaOut], **ERRORS})
@paginate(CursorPagination, ordering=("code",), page_size=500)
def list_areas(request: HttpRequest, slug: str, filters: Query[AreaFilters]) -> QuerySet[Area]:
    """Areas the caller works in, by code; each names its parent, so the list builds the tree."""
    project = access_project_by_slug(request.user, slug)
    areas = areas_for_actor(actor=request.user, project=project).select_related("parent")
    if filters.level:
        areas = areas.filter(level=filters.level)
    if filters.parent:
        areas = areas.filter(parent__code=filters.parent)
    if not filters.boundaries:
        areas = areas.defer("boundary")
    return areas


@router.get("/projects/{slug}/areas/{code}", response={200: AreaOut, **ERRORS})
def get_area(request: HttpRequest, slug: str, code: str) -> Area:
    """One area with its boundary."""
    project = access_project_by_slug(request.user, slug)
    return access_area_by_code(request.user, project, code)
