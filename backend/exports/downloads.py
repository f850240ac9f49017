"""Serving a finished export's file. Kept in one function so a deployment can hand the bytes to
the web server instead (X-Accel-Redirect) without touching the API."""

from django.core.files.storage import default_storage
from django.http import FileResponse

from backend.exports.models import Export


def export_download_response(export: Export) -> FileResponse:
    """Stream the stored file in chunks as an attachment under its export file name."""
    handle = default_storage.open(export.file.name, "rb")
    response = FileResponse(handle, as_attachment=True, filename=export.filename)
    if export.size is not None:
        response["Content-Length"] = str(export.size)
    return response
