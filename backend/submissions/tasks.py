"""Work done after a submission is committed: never on the path of the 201."""

import logging
from datetime import datetime
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from backend.evidence.services import evidence_check
from backend.households.merge import MergeError, households_merge
from backend.households.rules import household_rules_apply
from backend.submissions.fields import extract_fields
from backend.submissions.images import image_problem
from backend.submissions.models import AttachmentState, Submission
from backend.submissions.xml import Instance, InstanceError, parse_instance

logger = logging.getLogger(__name__)


@task()
def process_submission(submission_id: int, force_held: bool = False) -> None:
    """Extract the fields, check the photos and update the households of one submission.

    Safe to run again. `force_held` applies a held offline update whose predecessor never came.
    """
    submission = (
        Submission.objects.select_related("form_version")
        .defer("form_version__xform", "form_version__warnings")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return
    try:
        released = _process(submission, force_held=force_held)
    except Exception as exc:
        # The submission is safe in the database; record why and let `process_submissions` retry.
        logger.exception("processing submission %s failed", submission_id)
        Submission.objects.filter(pk=submission_id).update(
            processing_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    for successor in released:
        transaction.on_commit(partial(process_submission.enqueue, successor))


def _process(submission: Submission, *, force_held: bool) -> list[int]:
    instance = _instance(submission)
    types = submission.form_version.fields
    fields = extract_fields(instance.root, types) if instance and not submission.encrypted else {}
    if instance is not None:
        _check_images(submission, types, instance)
    with transaction.atomic():
        submission.entity_error, released = _merge(submission, instance, force=force_held)
        submission.fields = fields
        submission.started_at = _moment(fields.get("start"))
        submission.ended_at = _moment(fields.get("end"))
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
                "updated_at",
            ]
        )
    _check_evidence(submission)
    return released


def _check_evidence(submission: Submission) -> None:
    """Evidence checks run last, on what the merge left. A failure is logged and never undoes
    the processing above (the checks can be run again with `recheck_submissions`)."""
    try:
        evidence_check(submission=submission)
    except Exception:
        logger.exception("evidence checks on submission %s failed", submission.pk)


def _merge(
    submission: Submission, instance: Instance | None, *, force: bool
) -> tuple[str, list[int]]:
    """Change the households the submission names; return why not ("" when it worked) and the
    held offline updates this one releases."""
    if instance is None or submission.encrypted:
        return "", []
    try:
        with transaction.atomic():
            result = households_merge(submission=submission, instance=instance, force=force)
            for version in result.versions:
                household_rules_apply(household=version.household, submission=submission)
    except MergeError as exc:
        return str(exc), []
    return "", result.released or []


def _instance(submission: Submission) -> Instance | None:
    try:
        return parse_instance(submission.xml.encode("utf-8"))
    except InstanceError:
        return None  # intake parsed it once; a stored XML that no longer parses is not ours to fix


def _check_images(submission: Submission, types: dict[str, str], instance: Instance) -> None:
    """Mark each photo of an image question as decodable or not; a bad file is kept, not lost."""
    names = {
        text
        for path, kind in types.items()
        if kind == "image"
        for text in instance.texts_at(path)
        if text
    }
    if not names:
        return
    for row in submission.attachments.filter(
        state=AttachmentState.RECEIVED, name__in=names, image_ok__isnull=True
    ):
        with default_storage.open(row.file.name, "rb") as stream:
            problem = image_problem(stream)
        row.image_ok, row.image_problem = problem == "", problem
        row.save(update_fields=["image_ok", "image_problem", "updated_at"])


def _moment(value: object) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None
