"""Who may export what. Exports are for supervisors and admins; each holds only what its
requester may see, and only the requester may see or download it."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, access_project_by_slug, areas_within, project_role
from backend.areas.models import Area, Level
from backend.core.errors import NotFound
from backend.exports.models import Export
from backend.households.submission_access import submissions_for_actor
from backend.projects.models import Project, Role
from backend.submissions.models import Submission

EXPORT_ROLE = Role.SUPERVISOR  # field workers may not take data off the server in bulk


def access_project_for_export(actor: Actor, slug: str) -> Project:
    """The project if the actor may export from it (supervisor or admin)."""
    return access_project_by_slug(actor, slug, role=EXPORT_ROLE)


def may_export_personal_data(actor: Actor, project: Project) -> bool:
    """Unmasked ID numbers and health answers leave the server only for project admins."""
    return project_role(actor, project) == Role.ADMIN


def exports_for_actor(*, actor: Actor, project: Project) -> QuerySet[Export]:
    """The actor's own exports in the project: a file holds its requester's view of the data."""
    if project_role(actor, project) not in {Role.ADMIN, Role.SUPERVISOR}:
        return Export.objects.none()
    return Export.objects.filter(project=project, requested_by_id=actor.pk)


def access_export_by_id(actor: Actor, slug: str, export_id: int) -> Export:
    """One of the actor's exports; NotFound for missing and forbidden alike."""
    project = access_project_for_export(actor, slug)
    export = exports_for_actor(actor=actor, project=project).filter(pk=export_id).first()
    if export is None:
        raise NotFound(_("Export not found."))
    return export


def export_submissions_for_actor(*, actor: Actor, project: Project) -> QuerySet[Submission]:
    """Current submissions the actor may export: what the pages and the API show them
    (backend/households/submission_access.py), for supervisors and admins only."""
    if project_role(actor, project) not in {Role.ADMIN, Role.SUPERVISOR}:
        return Submission.objects.none()
    return submissions_for_actor(actor, project).filter(is_current=True)


def villages_under(*, area_ids: list[int]) -> list[str]:
    """Codes of the villages that are, or lie within, the given areas."""
    villages = Area.objects.filter(level=Level.VILLAGE, pk__in=areas_within(area_ids))
    return list(villages.values_list("code", flat=True))
