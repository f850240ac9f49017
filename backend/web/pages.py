"""What every project page shares: sign-in, the project by its slug and role, errors as pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.http.response import HttpResponseBase

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.core.errors import InvalidInput, NotFound, PermissionDenied
from backend.projects.models import Project, Role
from backend.web.errors import bad_request

P = ParamSpec("P")
# A page, or a file (streamed: not an HttpResponse).
ProjectView = Callable[Concatenate[SignedInRequest, Project, P], HttpResponseBase]


def project_page(
    *, role: Role, whole_project: bool = False
) -> Callable[[ProjectView[P]], Callable[..., HttpResponseBase]]:
    """Sign in, then hand the view the project if the user holds at least `role` in it (and
    works in all of it, with `whole_project`).

    Domain errors become the matching HTTP pages: NotFound 404 (also for projects the user is
    not in), PermissionDenied 403, InvalidInput 400 with its message.
    """

    def decorate(view: ProjectView[P]) -> Callable[..., HttpResponseBase]:
        # The request is a SignedInRequest: login_required lets only signed-in users through.
        @login_required
        @wraps(view)
        def wrapper(
            request: SignedInRequest, slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            try:
                project = access_project_by_slug(
                    request.user, slug, role=role, whole_project=whole_project
                )
                request.project = project  # type: ignore[attr-defined]  # read by the nav
                return view(request, project, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from None
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc)) from None
            except InvalidInput as exc:
                return bad_request(request, message=str(exc))

        return wrapper

    return decorate
