"""A submission's file as an HTTP answer: the one path the pages and the API share."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from backend.core.downloads import stored_file_response
from backend.core.storage import stored_name
from backend.evidence.selectors import thumbnail_name
from backend.submissions.models import SubmissionAttachment

# The phone names the content type. Only types a browser shows without running code are passed
# on; anything else (text/html, SVG) is sent as bytes to download, never rendered on our domain.
_INLINE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "audio/amr",
        "audio/3gpp",
        "video/mp4",
        "video/3gpp",
    }
)
THUMBNAIL_SIZES = ("small", "large")


def attachment_response(
    request: HttpRequest, attachment: SubmissionAttachment, *, size: str = ""
) -> HttpResponseBase:
    """The file (nginx or object storage send it when configured), or its thumbnail of `size`
    ("small" about 320 px, "large" about 1280 px) once the photo has been checked."""
    thumbnail = thumbnail_name(attachment.pk, size) if size else ""
    if thumbnail:
        response = stored_file_response(
            request, thumbnail, filename=f"{attachment.name}.jpg", content_type="image/jpeg"
        )
    else:
        response = stored_file_response(
            request,
            stored_name(attachment.file),
            filename=attachment.name,
            content_type=safe_content_type(attachment.content_type),
        )
    if not thumbnail and attachment.sha256:
        response["X-Content-SHA256"] = attachment.sha256  # lets scripts check what they got
    return response


def safe_content_type(content_type: str) -> str:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind if kind in _INLINE_TYPES else "application/octet-stream"
