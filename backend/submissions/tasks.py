"""Work done after a submission is committed; whether it succeeds never changes the 201.

Two tasks, so that the household list never waits behind photo work:
- `process_submission` (queue "default"): the fields, the household merge and its monitoring
  flags. A few milliseconds; phones see their update once it is done.
- `check_evidence` (queue "evidence", lower priority), enqueued when the first has finished: the
  photos (decode, EXIF, thumbnails, perceptual hash), GPS and timing checks, and whether each
  image answer decodes. Its failure never undoes the merge.
With a task worker (production) the 201 goes out while they wait in the queue; in the embedded
default both run in-process, one after the other, before the 201 is returned.
"""

import logging
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from backend.core.moments import moment
from backend.core.storage import stored_name
from backend.core.transient import connection_lost, with_reconnect
from backend.evidence.services import evidence_check
from backend.flags.services import Finding, flag_open, subject_flags_reconcile
from backend.households.access import may_change_household
from backend.households.merge import MergeError, MergeResult, households_merge
from backend.monitoring.engine import household_rules_apply
from backend.submissions.fields import extract_fields
from backend.submissions.images import image_problem
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment
from backend.submissions.village import submission_village
from backend.submissions.xml import Instance, InstanceError, parse_instance

logger = logging.getLogger(__name__)

# The queue of the evidence checks (settings.TASKS lists it). Workers take higher priorities
# first, so a worker serving both queues merges every waiting submission before checking photos.
EVIDENCE_QUEUE = "evidence"
EVIDENCE_PRIORITY = -50
# The flag of a visit the household list refused (catalogue: backend/flags/catalogue.py).
MERGE_REFUSED = "merge_refused"
ACCEPTANCE_REFUSED = "reno_acceptance_refused"


@task()
def process_submission(submission_id: int, force_held: bool = False) -> None:
    """Extract the fields and update the households of one submission, then queue its
    evidence checks. Safe to run again. `force_held` applies a held offline update whose
    predecessor never came."""
    # A connection lost mid-way (a failover, pg_terminate_backend) runs the merge again at once,
    # rather than failing it until the periodic retry, minutes later.
    if with_reconnect(partial(submission_merge, submission_id, force_held=force_held)):
        transaction.on_commit(partial(check_evidence.enqueue, submission_id))


@task(queue_name=EVIDENCE_QUEUE, priority=EVIDENCE_PRIORITY)
def check_evidence(submission_id: int) -> None:
    """Check the photos, GPS point and times of one processed submission. Safe to run again."""
    with_reconnect(partial(submission_evidence_check, submission_id))


def submission_merge(submission_id: int, *, force_held: bool = False) -> bool:
    """The first half of post-processing; False when the submission is gone."""
    submission = _submission(submission_id)
    if submission is None:
        return False
    try:
        released = _process(submission, force_held=force_held)
    except Exception as exc:
        if connection_lost(exc):
            raise  # nothing is wrong with the submission: the task runs it again
        # The submission is safe in the database; record why and let `process_submissions` retry.
        logger.exception("processing submission %s failed", submission_id)
        _record_error(submission_id, f"{type(exc).__name__}: {exc}")
        raise
    for successor in released:
        transaction.on_commit(partial(process_submission.enqueue, successor))
    return True


def submission_evidence_check(submission_id: int) -> None:
    """The second half: evidence checks and image marks. A failure is recorded on the submission
    (so `process_submissions` runs it again) and never touches what the merge did."""
    submission = _submission(submission_id)
    if submission is None or submission.processed_at is None:
        return  # not merged yet: its own merge task queues the checks when it is done
    instance = _instance(submission)
    if instance is not None:
        try:
            evidence_check(submission=submission, instance=instance)
            _mark_images(submission, submission.form_version.fields, instance)
        except Exception as exc:
            if connection_lost(exc):
                raise  # nothing is wrong with the submission: the task runs it again
            logger.exception("evidence checks on submission %s failed", submission_id)
            _record_error(submission_id, f"evidence checks: {type(exc).__name__}: {exc}")
            raise
    # Only now is the whole processing through: a merge that succeeds before checks that keep
    # failing must not reset the count, or the periodic retry would never give up.
    Submission.objects.filter(pk=submission_id).update(
        evidence_checked_at=timezone.now(), processing_attempts=0
    )


def _submission(submission_id: int) -> Submission | None:
    # The XForm itself is not needed here (the evidence checks read it through a cache).
    return (
        Submission.objects.select_related("form_version", "project", "submitted_by")
        .defer("form_version__xform", "form_version__warnings")
        .filter(pk=submission_id)
        .first()
    )


def _record_error(submission_id: int, message: str) -> None:
    Submission.objects.filter(pk=submission_id).update(
        processing_error=message[:2000], processing_attempts=F("processing_attempts") + 1
    )


def _process(submission: Submission, *, force_held: bool) -> list[int]:
    instance = _instance(submission)
    types = submission.form_version.fields
    fields = extract_fields(instance.root, types) if instance and not submission.encrypted else {}
    with transaction.atomic():
        submission.entity_error, released = _merge(submission, instance, force=force_held)
        if submission.village_id is None and instance is not None and not submission.encrypted:
            submission.village_id = submission_village(submission, instance, fields)
        submission.fields = fields
        submission.started_at = moment(fields.get("start"))
        submission.ended_at = moment(fields.get("end"))
        submission.processed_at = timezone.now()
        submission.processing_error = ""
        submission.save(
            update_fields=[
                "fields",
                "started_at",
                "ended_at",
                "processed_at",
                "processing_error",
                "entity_error",
                "village",
                "updated_at",
            ]
        )
    return released


def _merge(
    submission: Submission, instance: Instance | None, *, force: bool
) -> tuple[str, list[int]]:
    """Change the households the submission names; return why not ("" when it worked) and the
    held offline updates this one releases."""
    if instance is None or submission.encrypted:
        return "", []
    sender = submission.submitted_by
    try:
        # A failing block undoes the blocks before it; the submission itself is still saved.
        result = households_merge(
            submission=submission,
            instance=instance,
            may_update=partial(may_change_household, sender),
            force=force,
        )
    except MergeError as exc:
        _report_refused(submission, str(exc))
        return str(exc), []
    _report_refused(submission, "")
    for version in result.versions:
        household_rules_apply(household=version.household, submission=submission)
    _report_refused_acceptances(submission, result)
    return _report_out_of_scope(submission, result), result.released


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
        finding = Finding(
            ACCEPTANCE_REFUSED,
            f"s{submission.pk}/acceptance/{refused.household.pk}",
            refused.evidence,
        )
        subject_flags_reconcile(
            submission=submission,
            household=refused.household,
            codes=[ACCEPTANCE_REFUSED],
            findings=[finding],
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


def _instance(submission: Submission) -> Instance | None:
    try:
        return parse_instance(submission.xml.encode("utf-8"))
    except InstanceError:
        return None  # intake parsed it once; a stored XML that no longer parses is not ours to fix


def _mark_images(submission: Submission, types: dict[str, str], instance: Instance) -> None:
    """Mark each file of an image question as decodable or not; a bad file is kept, not lost.
    Camera photos were decoded by the evidence checks: their verdict is reused, the file is not
    read again. Drawn images (signatures) are opened here."""
    names = {
        text
        for path, kind in types.items()
        if kind == "image"
        for text in instance.texts_at(path)
        if text
    }
    if not names:
        return
    pending = submission.attachments.filter(
        state=AttachmentState.RECEIVED, name__in=names, image_ok__isnull=True
    )
    # Files are read before the transaction; rows are then locked by key, the order intake
    # locks them in, so a phone's retry arriving meanwhile waits instead of deadlocking.
    problems = {row.pk: _image_problem(row) for row in pending.select_related("evidence")}
    if not problems:
        return
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            SubmissionAttachment.objects.select_for_update(no_key=True)
            .filter(pk__in=problems)
            .order_by("pk")
        )
        for row in rows:
            row.image_problem = problems[row.pk]
            row.image_ok, row.updated_at = row.image_problem == "", now
        SubmissionAttachment.objects.bulk_update(rows, ["image_ok", "image_problem", "updated_at"])


def _image_problem(row: SubmissionAttachment) -> str:
    evidence = getattr(row, "evidence", None)
    if evidence is not None:
        return "" if evidence.decodable else (evidence.problem or "damaged image")
    with default_storage.open(stored_name(row.file), "rb") as stream:
        return image_problem(stream)
