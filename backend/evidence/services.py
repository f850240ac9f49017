"""Run the evidence checks on a submission and keep its flags in step with what they find."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import tzinfo

from django.db import transaction
from django.utils import timezone

from backend.core.moments import moment
from backend.evidence.checks import CHECKS
from backend.evidence.context import Visit
from backend.evidence.fieldmap import FormMap, version_form_map
from backend.evidence.models import VisitEvidence
from backend.evidence.photos import Photo, submission_photos
from backend.evidence.selectors import edit_chain_ids
from backend.flags.services import subject_flags_reconcile
from backend.geo.points import parse_geopoint
from backend.households.models import Household
from backend.submissions.models import Submission
from backend.submissions.xml import Instance, InstanceError, parse_instance

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceResult:
    opened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


def evidence_check(*, submission: Submission, instance: Instance | None = None) -> EvidenceResult:
    """Check the submission's GPS point, times and photos; open, refresh or close its evidence
    flags. Safe to run again: photos are read once and an open flag is never duplicated.

    `instance` is the parsed XML when the caller has it (else it is parsed here)."""
    if submission.encrypted:
        return EvidenceResult()  # the server cannot read an encrypted visit
    if instance is None:
        try:
            instance = parse_instance(submission.xml.encode("utf-8"))
        except InstanceError:
            return EvidenceResult()
    mapping = version_form_map(submission.form_version)
    household = _household(submission, instance)
    zone = _zone(submission)
    # Reading photos and writing thumbnails is slow I/O: done before the transaction opens.
    photos = submission_photos(
        submission=submission,
        instance=instance,
        photo_fields=mapping.photo_fields,
        household=household,
        zone=zone,
    )
    with transaction.atomic():
        visit = _visit(submission, instance, mapping, household, photos, zone)
        findings = [finding for check in CHECKS.values() for finding in check(visit)]
        opened, closed = subject_flags_reconcile(
            submission=submission, household=household, codes=CHECKS, findings=findings
        )
    return EvidenceResult([f.code for f in opened], [f.code for f in closed])


def _household(submission: Submission, instance: Instance) -> Household | None:
    """The household the submission created or updated, else the one it names (a visit where
    nobody was met names its household without updating it)."""
    version = submission.household_versions.select_related("household__village").first()
    if version is not None:
        return version.household
    for element in instance.root.iter():
        if element.tag.rsplit("}", 1)[-1] != "entity":
            continue
        try:
            entity_id = uuid.UUID(element.get("id", "").strip().removeprefix("uuid:"))
        except ValueError:
            continue
        found = (
            Household.objects.filter(project_id=submission.project_id, uuid=entity_id)
            .select_related("village")
            .first()
        )
        if found is not None:
            return found
    return None


def _zone(submission: Submission) -> tzinfo:
    """The phone's UTC offset, read from its start time (Collect writes it with the offset)."""
    start = submission.fields.get("start") if isinstance(submission.fields, dict) else None
    started = moment(start)
    if started is not None and started.tzinfo is not None:
        return started.tzinfo
    return timezone.get_default_timezone()


def _visit(
    submission: Submission,
    instance: Instance,
    mapping: FormMap,
    household: Household | None,
    photos: list[Photo],
    zone: tzinfo,
) -> Visit:
    point_field, point_text = _visit_point(instance, mapping)
    point = parse_geopoint(point_text) if point_text else None
    record, _ = VisitEvidence.objects.update_or_create(
        submission=submission,
        defaults={
            "household": household,
            "worker_id": submission.submitted_by_id,
            "device_id": submission.device_id,
            "point_field": point_field,
            "latitude": point.latitude if point else None,
            "longitude": point.longitude if point else None,
            "accuracy": point.accuracy if point else None,
            "started_at": submission.started_at,
            "ended_at": submission.ended_at,
        },
    )
    return Visit(
        submission=submission,
        project=submission.project,
        household=household,
        point_field=point_field,
        point_text=point_text,
        point=point,
        started_at=submission.started_at,
        ended_at=submission.ended_at,
        photos=photos,
        record=record,
        zone=zone,
        chain=edit_chain_ids(submission),
    )


def _visit_point(instance: Instance, mapping: FormMap) -> tuple[str, str | None]:
    """The first visit-point question answered; else the first one asked (blank); else none."""
    asked: tuple[str, str | None] = (
        (mapping.visit_point_fields[0], None) if mapping.visit_point_fields else ("", None)
    )
    for path in mapping.visit_point_fields:
        texts = instance.texts_at(path)
        if any(texts):
            return path, next(text for text in texts if text)
        if texts and asked[1] is None:
            asked = (path, "")
    return asked
