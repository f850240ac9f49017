"""JSON API for exports: request one, follow its progress, list them, download the file."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from backend.accounts.requests import SignedInRequest
from backend.core.errors import Conflict
from backend.core.requests import client_ip
from backend.core.schemas import ERRORS, ErrorOut
from backend.exports.access import (
    access_export_by_id,
    access_project_for_export,
    exports_for_actor,
)
from backend.exports.downloads import export_download_response
from backend.exports.models import Export, ExportState
from backend.exports.params import ExportParams
from backend.exports.schemas import ExportIn, ExportOut
from backend.exports.services import export_request

router = Router(tags=["exports"])


_FILE_RESPONSE = {
    "description": "The export's file (a zip, CSV, XLSX or GeoJSON)",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


@router.post("/projects/{slug}/exports", response={202: ExportOut, **ERRORS})
def create_export(request: SignedInRequest, slug: str, body: ExportIn) -> Status[Export]:
    """Queue an export; follow `GET .../exports/{id}` until its state is `done`."""
    project = access_project_for_export(request.user, slug)
    data = body.dict(exclude={"kind"})
    data["since"] = data["since"].isoformat() if data["since"] else ""
    data["until"] = data["until"].isoformat() if data["until"] else ""
    export = export_request(
        actor=request.user,
        project=project,
        kind=body.kind,
        params=ExportParams(**data),
        ip=client_ip(request),
    )
    export.refresh_from_db()
    return Status(202, export)


@router.get("/projects/{slug}/exports", response={200: list[ExportOut], **ERRORS})
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=50)
def list_exports(request: HttpRequest, slug: str) -> object:
    """The caller's exports in the project, newest first."""
    project = access_project_for_export(request.user, slug)
    return exports_for_actor(actor=request.user, project=project).select_related("project")


@router.get("/projects/{slug}/exports/{export_id}", response={200: ExportOut, **ERRORS})
def get_export(request: HttpRequest, slug: str, export_id: int) -> Export:
    """State, progress in percent, row count and, when done, the download path."""
    return access_export_by_id(request.user, slug, export_id)


@router.get(
    "/projects/{slug}/exports/{export_id}/download",
    url_name="download_export",
    response={409: ErrorOut, **ERRORS},
    openapi_extra={"responses": {200: _FILE_RESPONSE}},
)
def download_export(request: HttpRequest, slug: str, export_id: int) -> HttpResponseBase:
    """The finished file."""
    export = access_export_by_id(request.user, slug, export_id)
    if export.state != ExportState.DONE or not export.file:
        raise Conflict(_("This export is not finished: it has no file yet."))
    return export_download_response(request, export)
