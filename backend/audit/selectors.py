"""Reads of the access log for the page that lists it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from backend.audit.models import AccessLog
from backend.core.days import day_start
from backend.projects.models import Project


@dataclass(frozen=True)
class AccessLogQuery:
    """The filters of the access-log page; empty values filter nothing."""

    user_id: int | None = None
    kind: str = ""
    since: date | None = None  # days in the server's time zone, both inclusive
    until: date | None = None


def access_log_list(*, project: Project, query: AccessLogQuery) -> QuerySet[AccessLog]:
    """The project's log entries matching the filters, newest first."""
    entries = AccessLog.objects.filter(project=project)
    if query.user_id is not None:
        entries = entries.filter(user_id=query.user_id)
    if query.kind:
        entries = entries.filter(kind=query.kind)
    if query.since:
        entries = entries.filter(created_at__gte=day_start(query.since))
    if query.until:
        entries = entries.filter(created_at__lt=day_start(query.until + timedelta(days=1)))
    return entries.select_related("user", "device").order_by("-created_at", "-id")
