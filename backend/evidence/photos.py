"""Read each photo of a submission once: EXIF, perceptual hash and thumbnails (PhotoEvidence)."""

import logging
from dataclasses import dataclass
from datetime import datetime, tzinfo
from xml.etree.ElementTree import Element

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from backend.core.storage import stored_name
from backend.evidence.models import PhotoEvidence
from backend.households.models import Household
from backend.media import phash
from backend.media.photos import LARGE, SMALL, PhotoError, PhotoFacts, inspect_photo
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment
from backend.submissions.xml import Instance

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Photo:
    """A photo answer: its evidence row and the question's own location answer, if any."""

    evidence: PhotoEvidence
    point_text: str | None  # the `<photo>_gps` answer; None when the question has none


def submission_photos(
    *,
    submission: Submission,
    instance: Instance,
    photo_fields: tuple[str, ...],
    household: Household | None,
    zone: tzinfo,
) -> list[Photo]:
    """The submission's received camera photos, each read once (later calls reuse the rows)."""
    answers = [
        (path, (element.text or "").strip(), element)
        for path in photo_fields
        for element in instance.elements_at(path)
    ]
    names = {name for _, name, _ in answers if name}
    rows = {
        row.name: row
        for row in submission.attachments.filter(
            state=AttachmentState.RECEIVED, name__in=names
        ).select_related("evidence")
    }
    return [
        Photo(_evidence(rows[name], path, household, zone), _companion_point(instance, path, el))
        for path, name, el in answers
        if name in rows
    ]


def _companion_point(instance: Instance, path: str, element: Element) -> str | None:
    """The answer of `<photo>_gps` beside this photo (same repeat entry), if the form has one."""
    parent_path, name = path.rsplit("/", 1)
    for parent in instance.elements_at(parent_path):
        if any(child is element for child in parent):
            for child in parent:
                if child.tag.rsplit("}", 1)[-1] == f"{name}_gps":
                    return (child.text or "").strip()
            return None
    return None


def _evidence(
    attachment: SubmissionAttachment, path: str, household: Household | None, zone: tzinfo
) -> PhotoEvidence:
    existing: PhotoEvidence | None = getattr(attachment, "evidence", None)
    if existing is not None:
        if existing.household_id != (household.pk if household else None):
            existing.household = household
            existing.save(update_fields=["household", "updated_at"])
        return existing
    row = PhotoEvidence(
        attachment=attachment,
        submission_id=attachment.submission_id,
        household=household,
        field=path,
        sha256=attachment.sha256,
    )
    try:
        with default_storage.open(stored_name(attachment.file), "rb") as stream:
            facts = inspect_photo(stream)
    except PhotoError as exc:
        row.decodable, row.problem = False, str(exc)
    except OSError as exc:  # the stored file is gone: say so rather than fail the submission
        logger.warning("photo %s unreadable: %s", attachment.file.name, exc)
        row.decodable, row.problem = False, f"file unreadable: {exc}"[:255]
    else:
        _fill(row, facts, stored_name(attachment.file), zone)
    row.save()
    return row


def _fill(row: PhotoEvidence, facts: PhotoFacts, original: str, zone: tzinfo) -> None:
    exif = facts.exif
    row.width, row.height = facts.width, facts.height
    row.taken_at, row.taken_offset_known = _aware(exif.taken_at, zone)
    row.latitude, row.longitude, row.altitude = exif.latitude, exif.longitude, exif.altitude
    row.make, row.model, row.orientation = exif.make, exif.model, exif.orientation
    row.thumb_small = _store(f"{original}.{SMALL}.jpg", facts.thumb_small)
    row.thumb_large = _store(f"{original}.{LARGE}.jpg", facts.thumb_large)
    row.phash = phash.to_hex(facts.phash)
    # Nearly flat pictures all hash alike: they are matched by identical bytes only.
    if phash.informative(facts.phash):
        (row.phash_band0, row.phash_band1, row.phash_band2, row.phash_band3) = phash.bands(
            facts.phash
        )


def _aware(moment: datetime | None, zone: tzinfo) -> tuple[datetime | None, bool]:
    """A photo without an offset shows the phone's wall clock: read it in the visit's zone."""
    if moment is None:
        return None, False
    if timezone.is_aware(moment):
        return moment, True
    return timezone.make_aware(moment, zone), False


def _store(name: str, content: bytes) -> str:
    """Store a thumbnail beside its original. Originals are content-addressed, so an existing
    thumbnail of the same name holds the same picture and is kept."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))
