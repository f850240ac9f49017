"""Photos used twice: the same file or the same picture in another household's or an earlier
visit's submission, and renovation after photos that repeat the before photo."""

from backend.evidence.context import Visit
from backend.evidence.fieldmap import AFTER_OF_BEFORE, photo_name
from backend.evidence.models import PhotoEvidence
from backend.evidence.photos import Photo
from backend.evidence.selectors import (
    earlier_before_photos,
    identical_earlier_photo,
    near_earlier_photos,
)
from backend.flags.services import Finding
from backend.media import phash


def photo_duplicate(visit: Visit) -> list[Finding]:
    """Each photo against every earlier photo: identical bytes (sha256), then near-identical
    pictures (perceptual hash within the project's distance)."""
    findings = []
    for photo in visit.photos:
        row = photo.evidence
        if not row.decodable:
            continue
        match = _match(visit, photo)
        if match is None:
            continue
        kind, gap, other = match
        evidence = {
            "photo": row.attachment.name,
            "field": row.field,
            "match": kind,
            "distance": gap,
            "limit": visit.project.photo_hash_distance_max,
            "other_submission": other.submission.instance_id,
            "other_submission_id": other.submission_id,
            "other_photo": other.attachment.name,
            "other_field": other.field,
            "other_household": other.household.code if other.household else "",
            "same_household": other.household_id is not None
            and other.household_id == row.household_id,
        }
        findings.append(Finding("photo_duplicate", visit.subject(photo), evidence))
    return findings


def _match(visit: Visit, photo: Photo) -> tuple[str, int, PhotoEvidence] | None:
    row = photo.evidence
    identical = identical_earlier_photo(row, visit.chain)
    if identical is not None and not _before_of(row, identical):
        return "identical", 0, identical
    limit = visit.project.photo_hash_distance_max
    for gap, other in near_earlier_photos(row, visit.chain, limit):
        # An after photo equal to its own before photo is before_after_same, not a copy.
        if not _before_of(row, other):
            return "near", gap, other
    return None


def _before_of(row: PhotoEvidence, other: PhotoEvidence) -> bool:
    before = AFTER_OF_BEFORE.get(photo_name(row.field))
    return (
        before is not None
        and photo_name(other.field) == before
        and other.household_id is not None
        and other.household_id == row.household_id
    )


def before_after_same(visit: Visit) -> list[Finding]:
    """A renovation after photo that is (nearly) the household's before photo."""
    limit = visit.project.photo_hash_distance_max
    findings = []
    for photo in visit.photos:
        row = photo.evidence
        before_name = AFTER_OF_BEFORE.get(photo_name(row.field))
        if before_name is None or not row.decodable:
            continue
        for before in earlier_before_photos(row, before_name, visit.chain):
            gap = _distance(row, before)
            if gap is not None and gap <= limit:
                evidence = {
                    "photo": row.attachment.name,
                    "field": row.field,
                    "other_photo": before.attachment.name,
                    "other_field": before.field,
                    "other_submission": before.submission.instance_id,
                    "other_submission_id": before.submission_id,
                    "distance": gap,
                    "limit": limit,
                }
                findings.append(Finding("before_after_same", visit.subject(photo), evidence))
                break
    return findings


def _distance(row: PhotoEvidence, other: PhotoEvidence) -> int | None:
    if row.sha256 and row.sha256 == other.sha256:
        return 0
    if not (row.phash and other.phash and row.phash_band0 is not None):
        return None
    if other.phash_band0 is None:
        return None
    return phash.distance(phash.from_hex(row.phash), phash.from_hex(other.phash))
