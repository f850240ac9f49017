"""Which submissions a person may see: field workers their own, supervisors those of their area."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, areas_within, assigned_area_ids, project_role
from backend.areas.models import Area, Level
from backend.core.errors import NotFound
from backend.households.models import Household
from backend.projects.models import Project, Role
from backend.submissions.models import Submission

# Where a submission names its village: the `village` question of the shipped forms
# (forms/library/README.md), at the top of visits and inspections and in the address group of
# registrations. It places a submission that changed no household (submissions/village.py).
VILLAGE_FIELDS = ("village", "address/village")
# Ids are 64-bit; a larger number from a URL would overflow the database driver.
_MAX_ID = 2**63 - 1


def submissions_for_actor(actor: Actor, project: Project) -> QuerySet[Submission]:
    """Submissions of the project the actor may see.

    Field workers: those they sent. Supervisors and admins with assigned areas: their own, those
    that changed a household in their areas (`Submission.village`: the village of the first
    household it changed), and those that changed none (a registration awaiting approval, a
    refusal) sent by a worker who helps a household they see. Without assigned areas: all of
    them. Department staff: none. Every condition is on the submission's own columns, so a list
    ordered by an index needs no join per row.
    """
    role = project_role(actor, project)
    submissions = Submission.objects.filter(project=project)
    if role is None or role == Role.DEPARTMENT:
        return submissions.none()
    if role == Role.COLLECTOR:
        return submissions.filter(submitted_by_id=actor.pk)
    assigned = assigned_area_ids(actor, project)
    if not assigned:
        return submissions
    villages = sorted(areas_within(assigned))
    # By village ids (an index range each) rather than the area joins of households_for_actor.
    helped = Household.objects.filter(project=project, village_id__in=villages)
    helpers = list(
        helped.exclude(helper=None).order_by().values_list("helper_id", flat=True).distinct()
    )
    changed_visible = Q(village_id__in=villages)
    by_their_worker = Q(village__isnull=True, submitted_by_id__in=helpers)
    own = Q(submitted_by_id=actor.pk)
    return submissions.filter(own | changed_visible | by_their_worker)


def visible_villages(actor: Actor, project: Project) -> QuerySet[Area]:
    """The villages in the areas assigned to a supervisor (all villages when none are)."""
    assigned = assigned_area_ids(actor, project)
    villages = Area.objects.filter(level=Level.VILLAGE)
    return villages.filter(pk__in=areas_within(assigned)) if assigned else villages


def villages_with_households(actor: Actor, project: Project) -> QuerySet[Area]:
    """The actor's villages that have households in the project: the pages' village filters.

    One index probe a village, where listing the villages of the visible households would read
    every household.
    """
    households = Household.objects.filter(project=project, village=OuterRef("pk"))
    villages = visible_villages(actor, project).filter(Exists(households))
    return villages.defer("boundary").order_by("name")  # a boundary may weigh kilobytes


def access_submission(actor: Actor, project: Project, submission_id: int | str) -> Submission:
    """The submission if the actor may see it; NotFound for missing and forbidden alike."""
    try:
        key = int(submission_id)
    except (TypeError, ValueError):
        raise NotFound(_("Submission not found.")) from None
    if not 0 < key <= _MAX_ID:
        raise NotFound(_("Submission not found."))
    submission = (
        submissions_for_actor(actor, project)
        .select_related("form", "form_version", "submitted_by", "reviewed_by")
        .filter(pk=key)
        .first()
    )
    if submission is None:
        raise NotFound(_("Submission not found."))
    return submission


def may_edit_submission(actor: Actor, submission: Submission) -> bool:
    """Whether the actor may send an edit of the submission (or more of its files): field
    workers their own, supervisors and admins those they may see."""
    if submission.submitted_by_id == actor.pk:
        return True
    if project_role(actor, submission.project) not in {Role.SUPERVISOR, Role.ADMIN}:
        return False
    return submissions_for_actor(actor, submission.project).filter(pk=submission.pk).exists()
