"""Who may export what. Exports are for supervisors and admins; each holds only what its
requester may see, and only the requester may see or download it."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, access_project_by_slug, project_role
from backend.areas.models import Area, Level
from backend.core.errors import NotFound
from backend.exports.models import Export
from backend.households.access import households_for_actor
from backend.households.models import HouseholdVersion
from backend.projects.models import Membership, Project, Role
from backend.submissions.models import Submission

EXPORT_ROLE = Role.SUPERVISOR  # field workers may not take data off the server in bulk


def access_project_for_export(actor: Actor, slug: str) -> Project:
    """The project if the actor may export from it (supervisor or admin)."""
    return access_project_by_slug(actor, slug, role=EXPORT_ROLE)


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


def submissions_for_actor(*, actor: Actor, project: Project) -> QuerySet[Submission]:
    """Current submissions of the project the actor may see.

    Supervisors and admins without assigned areas see all; with areas, a submission is theirs
    when it changed a household they may see or its `village` answer is one of their villages.
    """
    submissions = Submission.objects.filter(project=project, is_current=True)
    if project_role(actor, project) not in {Role.ADMIN, Role.SUPERVISOR}:
        return submissions.none()
    areas = _assigned_area_ids(actor, project)
    if not areas:
        return submissions
    households = households_for_actor(actor=actor, project=project)
    touched = HouseholdVersion.objects.filter(submission=OuterRef("pk"), household__in=households)
    return submissions.filter(
        Exists(touched) | Q(fields__village__in=villages_under(area_ids=areas))
    )


def villages_under(*, area_ids: list[int]) -> list[str]:
    """Codes of the villages that are, or lie within, the given areas."""
    villages = Area.objects.filter(level=Level.VILLAGE).filter(
        Q(pk__in=area_ids) | Q(parent__in=area_ids) | Q(parent__parent__in=area_ids)
    )
    return list(villages.values_list("code", flat=True))


def _assigned_area_ids(actor: Actor, project: Project) -> list[int]:
    if actor.is_superuser:
        return []
    membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    return list(membership.areas.values_list("pk", flat=True)) if membership else []
