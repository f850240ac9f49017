"""Which submissions a person may see: the rule the pages, the API and downloads share."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, project_role
from backend.core.errors import NotFound
from backend.households.access import households_for_actor
from backend.projects.models import Membership, Project, Role
from backend.submissions.models import Submission


def submissions_for_actor(*, actor: Actor, project: Project) -> QuerySet[Submission]:
    """Submissions of the project the actor may see.

    Field workers: their own. Supervisors and admins with assigned areas: their own and those
    that changed a household in their areas. Without assigned areas: all of the project.
    """
    role = project_role(actor, project)
    submissions = Submission.objects.filter(project=project)
    if role is None:
        return submissions.none()
    own = Q(submitted_by_id=actor.pk)
    if role == Role.COLLECTOR:
        return submissions.filter(own)
    if actor.is_superuser or not _has_areas(actor, project):
        return submissions
    households = households_for_actor(actor=actor, project=project)
    in_areas = Q(household_versions__household__in=households)
    return submissions.filter(own | in_areas).distinct()


def access_submission(actor: Actor, project: Project, submission_id: int) -> Submission:
    """The submission if the actor may see it; NotFound for missing and forbidden alike."""
    submission = submissions_for_actor(actor=actor, project=project).filter(pk=submission_id)
    found = submission.first()
    if found is None:
        raise NotFound(_("Submission not found."))
    return found


def _has_areas(actor: Actor, project: Project) -> bool:
    return Membership.objects.filter(
        project=project, user_id=actor.pk, areas__isnull=False
    ).exists()
