"""Reads of submissions shared by the JSON API and the pages: one list, with one meaning of its
filters, for both."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.areas.models import Area, Level
from backend.core.days import day_start
from backend.core.errors import InvalidInput
from backend.flags.models import Flag, FlagState
from backend.households.access import households_for_actor
from backend.households.models import HouseholdVersion
from backend.households.submission_access import submissions_for_actor
from backend.projects.models import Project
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment
from forms.models import Form


@dataclass(frozen=True)
class SubmissionQuery:
    """The filters of a list of submissions, meaning the same in the API and the review queue."""

    form: str = ""  # the form's form_id
    village: str = ""  # a village's code: the submissions that belong to it (Submission.village)
    since: date | None = None  # received on or after this day (server time)
    until: date | None = None  # received on or before this day (server time)
    states: tuple[str, ...] = ()  # review states; empty: every state
    flag: str = ""  # a flag code: the submissions with an open flag of it
    submitted_by: str = ""  # a field worker's username
    include_superseded: bool = False  # also the versions an edit replaced


def submissions_list(
    *, actor: Actor, project: Project, query: SubmissionQuery
) -> QuerySet[Submission]:
    """The submissions the actor may see that match the query, unordered.

    A submission belongs to one village, the one the scopes use: that of the first household it
    created or updated, else the one it registers in, names or answers (submissions/village.py).
    """
    submissions = submissions_for_actor(actor, project)
    if not query.include_superseded:
        submissions = submissions.filter(is_current=True)
    # The form and the village are looked up first: the list then filters on its own indexed
    # columns. An unknown one matches nothing.
    if query.form:
        form_id = _form_id(project, query.form)
        submissions = submissions.filter(form_id=form_id) if form_id else submissions.none()
    if query.village:
        village_id = _village_id(query.village)
        submissions = (
            submissions.filter(village_id=village_id) if village_id else submissions.none()
        )
    # Bounds on created_at itself (not on its date) so that an index on it can serve them.
    if query.since is not None:
        submissions = submissions.filter(created_at__gte=_day_start(query.since))
    if query.until is not None:
        submissions = submissions.filter(created_at__lt=_day_start(query.until, after=True))
    if query.states:
        submissions = submissions.filter(review_state__in=query.states)
    if query.flag:
        # A semi-join the planner can start from the flags' (project, state, code) index when
        # the code is rare, rather than probing the flags of every submission in risk order.
        flagged = Flag.objects.filter(project=project, state=FlagState.OPEN, code=query.flag)
        submissions = submissions.filter(pk__in=flagged.values("submission_id"))
    if query.submitted_by:
        submissions = submissions.filter(submitted_by__username=query.submitted_by)
    return submissions


def _form_id(project: Project, form_id: str) -> int | None:
    forms = Form.objects.filter(project=project, xml_form_id=form_id)
    return forms.values_list("pk", flat=True).first()


def _village_id(code: str) -> int | None:
    return Area.objects.filter(code=code, level=Level.VILLAGE).values_list("pk", flat=True).first()


def _day_start(day: date, *, after: bool = False) -> datetime:
    """The first moment of the day (or of the next day) in the server's time zone."""
    # Years near the ends of the calendar overflow once shifted to UTC for the database.
    if not 1900 <= day.year <= 9000:
        raise InvalidInput(_("Dates must be between the years 1900 and 9000."))
    return day_start(day + timedelta(days=1) if after else day)


def household_versions_seen_by(actor: Actor, project: Project) -> QuerySet[HouseholdVersion]:
    """The household changes of submissions the actor may see: a submission that changed
    households in two townships shows each reader only their own."""
    visible = households_for_actor(actor=actor, project=project)
    return HouseholdVersion.objects.filter(household__in=visible).select_related(
        "household__village"
    )


def submissions_for_list(
    submissions: QuerySet[Submission], *, actor: Actor, project: Project
) -> QuerySet[Submission]:
    """The submissions with what a list item shows: form, sender, reviewer, village, flags, and
    the household changes the actor may see."""
    versions = household_versions_seen_by(actor, project)
    return submissions.select_related(
        "form", "form_version", "submitted_by", "reviewed_by", "village"
    ).prefetch_related("flags", Prefetch("household_versions", queryset=versions))


def submission_in_full(submission: Submission, *, actor: Actor) -> Submission:
    """The submission again with what its full view shows: files too, household changes in
    order."""
    versions = household_versions_seen_by(actor, submission.project).order_by("pk")
    return (
        Submission.objects.select_related(
            "form", "form_version", "submitted_by", "reviewed_by", "village"
        )
        .prefetch_related("flags", "attachments", Prefetch("household_versions", queryset=versions))
        .get(pk=submission.pk)
    )


def submission_flags(submission: Submission) -> QuerySet[Flag]:
    """The flags the submission raised, with their households."""
    return Flag.objects.filter(submission=submission).select_related("household")


def submission_superseded_by(submission: Submission) -> int | None:
    """The id of the edit that replaced this submission, if one did."""
    return Submission.objects.filter(supersedes=submission).values_list("pk", flat=True).first()


def received_attachments(*, submission_ids: list[int]) -> dict[int, list[SubmissionAttachment]]:
    """The received files of these submissions, by submission id, each list by name."""
    attachments: dict[int, list[SubmissionAttachment]] = defaultdict(list)
    received = SubmissionAttachment.objects.filter(
        submission_id__in=submission_ids, state=AttachmentState.RECEIVED
    )
    for attachment in received.order_by("submission_id", "name"):
        attachments[attachment.submission_id].append(attachment)
    return dict(attachments)
