"""The review queue: the submissions a supervisor may see, filtered, riskiest first."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from backend.accounts.access import Actor
from backend.flags.models import Flag, FlagState, RiskWeight
from backend.households.models import HouseholdVersion
from backend.projects.models import Project
from backend.review.models import ReviewComment
from backend.review.submissions import SubmissionQuery, submissions_list
from backend.submissions.models import ReviewState, Submission

# What "to review" means in the queue's default view.
OPEN_STATES = (ReviewState.RECEIVED, ReviewState.EDITED)


def review_queue(*, actor: Actor, project: Project, query: SubmissionQuery) -> QuerySet[Submission]:
    """The submissions the API would list for the same query, riskiest first, then newest."""
    submissions = submissions_list(actor=actor, project=project, query=query)
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


def review_comments(*, submission: Submission) -> QuerySet[ReviewComment]:
    """The submission's review thread, with its authors."""
    return ReviewComment.objects.filter(submission=submission).select_related("author")


def risk_weights_of(*, project: Project) -> dict[str, int]:
    """The weights the project sets, by flag code."""
    return dict(RiskWeight.objects.filter(project=project).values_list("code", "weight"))
