"""The review queue: the submissions a supervisor may see, filtered, riskiest first."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.core.days import day_start
from backend.flags.models import Flag, FlagState
from backend.households.models import HouseholdVersion
from backend.households.submission_access import submissions_for_actor
from backend.projects.models import Project
from backend.submissions.models import ReviewState, Submission

# What "to review" means in the queue's default view.
OPEN_STATES = (ReviewState.RECEIVED, ReviewState.EDITED)


@dataclass(frozen=True)
class QueueFilters:
    form_id: int | None = None
    village: Area | None = None
    date_from: date | None = None
    date_to: date | None = None
    states: tuple[str, ...] = OPEN_STATES  # empty: every state
    flag_code: str = ""


def review_queue(*, actor: Actor, project: Project, filters: QueueFilters) -> QuerySet[Submission]:
    """Current submissions the actor may see, matching the filters, ordered by risk then age."""
    submissions = submissions_for_actor(actor, project).filter(is_current=True)
    if filters.form_id is not None:
        submissions = submissions.filter(form_id=filters.form_id)
    if filters.village is not None:
        submissions = submissions.filter(village=filters.village)
    # Bounds on created_at itself (not on its date) so that an index on it can serve them.
    if filters.date_from is not None:
        submissions = submissions.filter(created_at__gte=day_start(filters.date_from))
    if filters.date_to is not None:
        submissions = submissions.filter(
            created_at__lt=day_start(filters.date_to + timedelta(days=1))
        )
    if filters.states:
        submissions = submissions.filter(review_state__in=filters.states)
    if filters.flag_code:
        # A semi-join the planner can start from the flags' (project, state, code) index when
        # the code is rare, rather than probing the flags of every submission in risk order.
        flagged = Flag.objects.filter(
            project=project, state=FlagState.OPEN, code=filters.flag_code
        ).values("submission_id")
        submissions = submissions.filter(pk__in=flagged)
    # The stored score (kept by the flag services) in the order of the queue's indexes.
    return submissions.order_by("-risk", "-created_at", "-id")


def with_row_details(submissions: QuerySet[Submission]) -> list[Submission]:
    """What a queue row shows beyond the submission: form, sender, household, open flags.

    Reads the page's ids first, then the details of those rows only: with OFFSET, PostgreSQL
    would compute the household subqueries for every row it skips on the way to a deep page.
    """
    ids = list(submissions.values_list("pk", flat=True))
    order = {pk: index for index, pk in enumerate(ids)}
    first_version = HouseholdVersion.objects.filter(submission=OuterRef("pk")).order_by("pk")
    rows = (
        Submission.objects.filter(pk__in=ids)
        .defer("xml", "fields")
        .select_related("form", "submitted_by")
        .annotate(
            household_uuid=Subquery(first_version.values("household__uuid")[:1]),
            household_label=Subquery(first_version.values("household__label")[:1]),
            village_name=Subquery(first_version.values("household__village__name")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(state=FlagState.OPEN).order_by("code"),
                to_attr="open_flags",
            )
        )
    )
    return sorted(rows, key=lambda row: order[row.pk])
