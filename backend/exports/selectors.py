"""Reads for the exports page."""

from backend.accounts.access import Actor
from backend.exports.access import exports_for_actor
from backend.exports.models import Export, ExportState
from backend.projects.models import Project

PAGE_EXPORTS = 30
UNFINISHED = (ExportState.QUEUED, ExportState.RUNNING)


def recent_exports(*, actor: Actor, project: Project, limit: int = PAGE_EXPORTS) -> list[Export]:
    """The actor's own newest exports in the project."""
    exports = exports_for_actor(actor=actor, project=project).select_related("project")
    return list(exports.order_by("-created_at", "-id")[:limit])


def any_unfinished(exports: list[Export]) -> bool:
    """Whether the page should look again for progress."""
    return any(export.state in UNFINISHED for export in exports)


def export_kind_names(*, project_id: int, ids: list[str]) -> dict[str, str]:
    """What each of the project's exports holds, in words, by id text (the access log)."""
    keys = [int(value) for value in ids if value.isdigit() and len(value) < 19]
    exports = Export.objects.filter(project_id=project_id, pk__in=keys).only("pk", "kind")
    return {str(export.pk): str(export.get_kind_display()) for export in exports}
