"""The steps after a submission's 201, in order, each safe to run again.

| stage  | step      | reads                  | writes                                            |
|--------|-----------|------------------------|---------------------------------------------------|
| merge  | answers   | the XML, form's fields | Submission.fields, started_at, ended_at           |
| merge  | household | the entity blocks      | households and their versions; the flags          |
|        |           |                        | merge_refused, entity_out_of_scope and            |
|        |           |                        | reno_acceptance_refused                           |
| merge  | members   | a `members` repeat     | the household's members, ID numbers as keyed     |
|        |           |                        | hashes (backend/crosscheck/members.py)            |
| merge  | rules     | the changed households | their monitoring flags (backend/monitoring)       |
| merge  | cases     | proposals, open flags  | cases opened or joined (backend/casework)         |
| merge  | village   | blocks, answers        | Submission.village when no household gave it      |
| merge  | village_  | a village look-back    | a rectification item of the village per problem   |
|        | items     | review's answers       | found; its items whose problem is gone passed to  |
|        |           |                        | the township (backend/casework/village_review.py) |
| merge  | entities  | blocks of other lists  | their entities and versions (backend/entities);   |
|        |           |                        | the flags entity_refused and entity_conflict      |
| checks | evidence  | photos, GPS, times     | evidence rows and flags (backend/evidence)        |
| checks | images    | image answers          | SubmissionAttachment.image_ok, image_problem      |

The merge stage runs in one transaction, and its state is Submission.processed_at (with
processing_error and processing_attempts when it fails); the checks stage runs after it, its
state Submission.evidence_checked_at. Each stage is run again, whole, by the periodic retry
(backend/pipeline/retry.py) or `manage.py process_submissions`: every step leaves what it finds
already done as it is. Submission.risk, the review queue's order, is kept by the flag services
as each step opens or closes flags (backend/flags/risk.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext

from backend.casework.triggers import household_cases_trigger
from backend.casework.village_review import (
    is_village_review,
    village_review_items_follow,
    village_review_items_open,
)
from backend.core.moments import moment
from backend.crosscheck.members import member_entries, members_record
from backend.evidence.services import evidence_check
from backend.flags.services import Finding, flag_open, subject_flags_reconcile
from backend.households.access import may_change_household
from backend.households.merge import MergeError, MergeResult, households_merge
from backend.monitoring.engine import household_rules_apply
from backend.pipeline.entity_lists import entity_lists_merge
from backend.pipeline.images import images_mark
from backend.pipeline.village import submission_village
from backend.pipeline.visit import Visit
from backend.submissions.fields import extract_fields
from backend.submissions.models import Submission


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Visit], None]


def answers(visit: Visit) -> None:
    submission = visit.submission
    if visit.instance is not None and not submission.encrypted:
        visit.fields = extract_fields(visit.instance.root, submission.form_version.fields)
    submission.fields = dict(visit.fields)
    submission.started_at = moment(visit.fields.get("start"))
    submission.ended_at = moment(visit.fields.get("end"))


def household(visit: Visit) -> None:
    """Change the households the submission names; a refusal is a flag on the submission."""
    submission = visit.submission
    if visit.instance is None or submission.encrypted:
        return
    try:
        # A failing block undoes the blocks before it; the submission itself is still saved.
        visit.merged = households_merge(
            submission=submission,
            instance=visit.instance,
            may_update=partial(may_change_household, submission.submitted_by),
            force=visit.force_held,
        )
    except MergeError as exc:
        visit.entity_error = str(exc)
        _report_refused(submission, visit.entity_error)
        return
    _report_refused(submission, "")
    _report_refused_acceptances(submission, visit.merged)
    visit.entity_error = _report_out_of_scope(submission, visit.merged)
    visit.released = visit.merged.released


def members(visit: Visit) -> None:
    """The members a registration lists, for the households it created or updated."""
    entries = member_entries(visit.fields)
    if entries is None or visit.merged is None:
        return
    for version in visit.merged.versions:
        members_record(household=version.household, submission=visit.submission, entries=entries)


def rules(visit: Visit) -> None:
    for version in visit.merged.versions if visit.merged else []:
        _opened, closed = household_rules_apply(
            household=version.household, submission=visit.submission
        )
        visit.closed[version.household.pk] = closed


def cases(visit: Visit) -> None:
    """Open the cases a visit's proposal or a household's serious flags ask for (once: a second
    trigger joins the open case)."""
    for version in visit.merged.versions if visit.merged else []:
        household_cases_trigger(
            household=version.household,
            submission=visit.submission,
            received=version.received,
            closed=visit.closed.get(version.household.pk, []),
        )


def village(visit: Visit) -> None:
    submission = visit.submission
    if submission.village_id is None and visit.instance is not None and not submission.encrypted:
        submission.village_id = submission_village(submission, visit.instance, visit.fields)


def village_items(visit: Visit) -> None:
    """A village look-back review opens an item of its village for each problem it found, and
    passes to the township's check the village's items whose problem it found gone."""
    submission, instance = visit.submission, visit.instance
    if instance is not None and not submission.encrypted and is_village_review(instance.form_id):
        village_review_items_open(submission=submission, fields=visit.fields)
        village_review_items_follow(submission=submission, fields=visit.fields)


def entities(visit: Visit) -> None:
    """Change the entities of the lists other than the households (after `village`, whose
    village places an entity that names none)."""
    submission = visit.submission
    if visit.instance is None or submission.encrypted:
        return
    result = entity_lists_merge(
        submission=submission, instance=visit.instance, force=visit.force_held
    )
    visit.released = [*visit.released, *result.released]


def evidence(visit: Visit) -> None:
    if visit.instance is not None:
        evidence_check(submission=visit.submission, instance=visit.instance)


def images(visit: Visit) -> None:
    if visit.instance is not None:
        images_mark(visit.submission, visit.instance)


MERGE: tuple[Step, ...] = (
    Step("answers", answers),
    Step("household", household),
    Step("members", members),
    Step("rules", rules),
    Step("cases", cases),
    Step("village", village),
    Step("village_items", village_items),
    Step("entities", entities),
)
CHECKS: tuple[Step, ...] = (
    Step("evidence", evidence),
    Step("images", images),
)

# The flags these steps open on the submission (catalogue: backend/flags/catalogue.py).
MERGE_REFUSED = "merge_refused"
ACCEPTANCE_REFUSED = "reno_acceptance_refused"


def _report_refused(submission: Submission, reason: str) -> None:
    """A visit the household list could not take (an unknown household or village, a code
    already used) is a flag on the submission, so a supervisor sees it in the queue; a later run
    that merges it closes the flag."""
    if not reason and not submission.entity_error:
        return  # merged, and never refused before: no flag to close (the merge's usual path)
    findings = [Finding(MERGE_REFUSED, "household", {"reason": reason})] if reason else []
    subject_flags_reconcile(
        submission=submission, household=None, codes=[MERGE_REFUSED], findings=findings
    )


def _report_refused_acceptances(submission: Submission, result: MergeResult) -> None:
    """An acceptance the registry did not apply (the household's own helper, or no appraisal or
    construction on record) is a flag on the visit, naming the household and why."""
    for refused in result.refused_acceptances:
        subject = f"s{submission.pk}/acceptance/{refused.household.pk}"
        subject_flags_reconcile(
            submission=submission,
            household=refused.household,
            codes=[ACCEPTANCE_REFUSED],
            findings=[Finding(ACCEPTANCE_REFUSED, subject, refused.evidence)],
        )


def _report_out_of_scope(submission: Submission, result: MergeResult) -> str:
    """Tell each household's own supervisors of an update its sender could not make (a flag on
    the household), and the sender's reviewers that it was not applied (without naming it)."""
    for household in result.out_of_scope:
        flag_open(
            household=household,
            code="entity_out_of_scope",
            evidence={"sender": str(submission.submitted_by or "-")},
            submission=submission,
        )
    if not result.out_of_scope:
        return ""
    return gettext(
        "An update of a household outside the sender's areas was not applied; that "
        "household's supervisors were told."
    )
