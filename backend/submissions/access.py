"""Which submissions a person may see: the rule the API, the pages and the exports share.

Field workers see what they sent; supervisors the submissions of their areas (all of the project
when no area is assigned); admins everything in the project. Missing and not yours give the same
NotFound.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, project_role
from backend.areas.access import assigned_areas, villages_within
from backend.areas.models import Area
from backend.core.errors import NotFound
from backend.households.models import HouseholdVersion
from backend.projects.models import Project, Role
from backend.submissions.models import Submission

# Where a submission names its village: the `village` question of the shipped forms
# (forms/library/README.md), at the top of visits and inspections and in the address group of
# registrations. A submission that changed a household also belongs to that household's village.
VILLAGE_FIELDS = ("village", "address/village")
# Ids are 64-bit; a larger number from a URL would overflow the database driver.
_MAX_ID = 2**63 - 1


def in_villages(villages: QuerySet[Area]) -> Q:
    """Submissions that belong to any of these villages (by household or by their answer)."""
    changed = HouseholdVersion.objects.filter(
        household__village__in=villages, submission__isnull=False
    ).values("submission_id")
    codes = list(villages.values_list("code", flat=True))
    condition = Q(pk__in=changed)
    for key in VILLAGE_FIELDS:
        condition |= Q(**{f"fields__{key}__in": codes})
    return condition


def submissions_for_actor(actor: Actor, project: Project) -> QuerySet[Submission]:
    """The project's submissions the actor may see (every version, current or superseded)."""
    role = project_role(actor, project)
    submissions = Submission.objects.filter(project=project)
    if role is None:
        return submissions.none()
    if role == Role.COLLECTOR:
        return submissions.filter(submitted_by_id=actor.pk)
    areas = assigned_areas(actor, project) if role == Role.SUPERVISOR else []
    return submissions.filter(in_villages(villages_within(areas))) if areas else submissions


def access_submission(actor: Actor, project: Project, submission_id: int) -> Submission:
    """The submission if the actor may see it; NotFound for missing and forbidden alike."""
    if not 0 < submission_id <= _MAX_ID:
        raise NotFound(_("Submission not found."))
    submission = (
        submissions_for_actor(actor, project)
        .select_related("form", "form_version", "submitted_by", "reviewed_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise NotFound(_("Submission not found."))
    return submission
