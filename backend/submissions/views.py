"""Pages and downloads for people (not phones): the photos and files of a submission."""

from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from backend.accounts.access import access_project_by_slug
from backend.core.errors import NotFound, PermissionDenied
from backend.households.submission_access import access_submission
from backend.submissions.downloads import attachment_response
from backend.submissions.models import AttachmentState


@require_safe
def submission_attachment(request: HttpRequest, slug: str, pk: int, name: str) -> HttpResponseBase:
    """A received attachment (photo, signature) of a submission the user may see."""
    try:
        project = access_project_by_slug(request.user, slug)
        submission = access_submission(request.user, project, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    except PermissionDenied as exc:  # a role below field workers (department staff): 403
        raise Forbidden(str(exc)) from None
    attachment = submission.attachments.filter(name=name, state=AttachmentState.RECEIVED).first()
    if attachment is None or not attachment.file:
        raise Http404
    # ?size=small|large: the thumbnail made when the photo was checked; the original until then.
    return attachment_response(request, attachment, size=request.GET.get("size", ""))
