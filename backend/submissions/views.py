"""Pages and downloads for people (not phones): the photos and files of a submission."""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from backend.accounts.access import access_project_by_slug
from backend.core.downloads import stored_file_response
from backend.core.errors import NotFound
from backend.evidence.selectors import thumbnail_name
from backend.submissions.access import access_submission
from backend.submissions.models import AttachmentState

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


@require_safe
def submission_attachment(request: HttpRequest, slug: str, pk: int, name: str) -> HttpResponseBase:
    """A received attachment (photo, signature) of a submission the user may see."""
    try:
        project = access_project_by_slug(request.user, slug)
        submission = access_submission(request.user, project, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    attachment = submission.attachments.filter(name=name, state=AttachmentState.RECEIVED).first()
    if attachment is None or not attachment.file:
        raise Http404
    # ?size=small|large: the thumbnail made when the photo was checked; the original until then.
    thumbnail = thumbnail_name(attachment.pk, request.GET.get("size", ""))
    if thumbnail:
        return stored_file_response(
            request, thumbnail, filename=f"{attachment.name}.jpg", content_type="image/jpeg"
        )
    return stored_file_response(
        request,
        attachment.file.name,
        filename=attachment.name,
        content_type=_safe_type(attachment.content_type),
    )


def _safe_type(content_type: str) -> str:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind if kind in _INLINE_TYPES else "application/octet-stream"
