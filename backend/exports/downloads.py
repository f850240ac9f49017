"""Serving a finished export's file through the one download path (backend/core/downloads.py):
nginx or the object store send the bytes when the deployment has them."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from backend.core.downloads import stored_file_response
from backend.core.storage import stored_name
from backend.exports.models import Export

_TYPES = {
    ".zip": "application/zip",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".geojson": "application/geo+json",
}


def export_download_response(request: HttpRequest, export: Export) -> HttpResponseBase:
    """The stored file as an attachment under its export file name."""
    suffix = export.filename[export.filename.rfind(".") :].lower() if "." in export.filename else ""
    return stored_file_response(
        request,
        stored_name(export.file),
        filename=export.filename,
        content_type=_TYPES.get(suffix, "application/octet-stream"),
        as_attachment=True,
    )
