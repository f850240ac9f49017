"""A case's document served to a reader through the one download path
(backend/core/downloads.py), each download written in the access log: a consent or a
double-confirmation form names the household's people."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from backend.accounts.models import User
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.casework.models import CaseAttachment
from backend.core.downloads import stored_file_response
from backend.core.requests import client_ip

# Served as what they are; anything else the uploader named goes out as bytes to save, never
# as a page the browser would run.
_SAFE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


def case_document_response(
    request: HttpRequest, reader: User, document: CaseAttachment
) -> HttpResponseBase:
    """The document as an attachment under its file name, the reader's look logged."""
    access_log_record(
        user=reader,
        project_id=document.case.project_id,
        kind=AccessKind.VIEW_CASE_DOCUMENT,
        object_type="case_document",
        object_ids=[document.pk],
        ip=client_ip(request),
        detail=f"case {document.case_id}: {document.name}",
    )
    content_type = document.content_type if document.content_type in _SAFE_TYPES else ""
    return stored_file_response(
        request,
        document.path,
        filename=document.name,
        content_type=content_type or "application/octet-stream",
        as_attachment=True,
    )
