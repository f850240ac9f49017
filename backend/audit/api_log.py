"""The JSON API's access log: every read of a household or a submission, a page of a list at a
time, and reveals of personal data (backend/audit/privacy.py holds the rules)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.pagination import CursorPagination

from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record, may_reveal
from backend.core.errors import PermissionDenied
from backend.core.requests import client_ip
from backend.projects.models import Project


def api_read_logged(
    request: HttpRequest, project: Project, *, object_type: str, object_id: object, reveal: bool
) -> None:
    """Record an API read of one record: a reveal (supervisors and admins only, else
    PermissionDenied) or a view."""
    if reveal and not may_reveal(request.user, project):
        raise PermissionDenied(_("Your role may not see personal data unmasked."))
    view = AccessKind.VIEW_HOUSEHOLD if object_type == "household" else AccessKind.VIEW_SUBMISSION
    access_log_record(
        user=request.user,  # type: ignore[arg-type]  # the API authenticated a User
        project_id=project.pk,
        kind=AccessKind.REVEAL if reveal else view,
        object_type=object_type,
        object_ids=[object_id],
        ip=client_ip(request),
        detail="api",
    )


class LoggedCursorPagination(CursorPagination):
    """CursorPagination that writes one access-log row per record on the page, in one insert.

    `log=(kind, object_type, attribute)`: the access kind, the object type, and the attribute that
    names each record in the log (a household's `uuid`, a submission's `pk`). Records carry their
    `project_id`, so the page costs no extra read.
    """

    def __init__(self, *, log: tuple[str, str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log_kind, self.log_type, self.log_attribute = log

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        results = page[self.items_attribute]
        if results:
            access_log_record(
                user=request.user,  # type: ignore[arg-type]  # the API authenticated a User
                project_id=results[0].project_id,
                kind=self.log_kind,
                object_type=self.log_type,
                object_ids=[getattr(record, self.log_attribute) for record in results],
                ip=client_ip(request),
                detail="api list",
            )
        return page
