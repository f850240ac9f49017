"""Read-only queries over the evidence: a submission's photos, earlier matching photos, the
previous visit of a worker or phone."""

from datetime import datetime

from django.db.models import Q, QuerySet

from backend.evidence.models import PhotoEvidence, VisitEvidence
from backend.media import phash
from backend.submissions.models import Submission

# How many of the nearest earlier photos `near_earlier_photos` returns.
NEAR_MATCHES_READ = 10


def photos_for_submission(submission: Submission) -> list[PhotoEvidence]:
    """The submission's checked photos with their attachments, in question order."""
    return list(
        PhotoEvidence.objects.filter(submission=submission)
        .select_related("attachment")
        .order_by("field", "attachment__name")
    )


def photo_checks(*, submission_ids: list[int]) -> dict[int, PhotoEvidence]:
    """The checked photos of these submissions, by attachment id."""
    photos = PhotoEvidence.objects.filter(submission_id__in=submission_ids)
    return {photo.attachment_id: photo for photo in photos}


def thumbnail_name(attachment_id: int, size: str) -> str:
    """The storage name of a photo's thumbnail ("small" about 320 px, "large" about 1280 px), or
    "" when the photo has none (not checked yet, or not an image)."""
    column = {"small": "thumb_small", "large": "thumb_large"}.get(size)
    if column is None:
        return ""
    names = PhotoEvidence.objects.filter(attachment_id=attachment_id).values_list(column, flat=True)
    return next(iter(names), "")


def edit_chain_ids(submission: Submission) -> set[int]:
    """The submission and every edit before or after it (one visit, several versions)."""
    ids = {submission.pk}
    older = submission.supersedes_id
    while older is not None and older not in ids:
        ids.add(older)
        older = Submission.objects.filter(pk=older).values_list("supersedes_id", flat=True)[0]
    newer = Submission.objects.filter(supersedes_id=submission.pk).values_list("pk", flat=True)
    while newer and newer[0] not in ids:
        ids.add(newer[0])
        newer = Submission.objects.filter(supersedes_id=newer[0]).values_list("pk", flat=True)
    return ids


def _earlier_photos(photo: PhotoEvidence, chain: set[int]) -> QuerySet[PhotoEvidence]:
    """Photos of submissions received before this one, other than versions of the same visit."""
    # No ORDER BY: sorting would tempt the planner to walk the table in that order instead of
    # using the sha256 or band indexes. The few matches are sorted in Python.
    return (
        PhotoEvidence.objects.filter(submission_id__lt=photo.submission_id, decodable=True)
        .exclude(submission_id__in=chain)
        .select_related("attachment", "submission", "household")
        .order_by()
    )


def identical_earlier_photo(photo: PhotoEvidence, chain: set[int]) -> PhotoEvidence | None:
    """The first earlier photo with the same bytes: the (sha256, id) index read in its order."""
    if not photo.sha256:
        return None
    return _earlier_photos(photo, chain).filter(sha256=photo.sha256).order_by("pk").first()


def near_earlier_photos(
    photo: PhotoEvidence, chain: set[int], max_distance: int
) -> list[tuple[int, PhotoEvidence]]:
    """Earlier photos whose perceptual hash is within `max_distance` bits, nearest first (at
    most NEAR_MATCHES_READ of them).

    Candidates come from the band index (backend/media/phash.py): any hash within the distance
    shares a band within `max_distance // BANDS` bits, so no row is scanned outside the probes.
    """
    if photo.phash_band0 is None or not photo.phash:
        return []
    value = phash.from_hex(photo.phash)
    radius = phash.band_radius(max_distance)
    condition = Q()
    for index, band in enumerate(phash.bands(value)):
        condition |= Q(**{f"phash_band{index}__in": phash.probes(band, radius)})
    # Candidates are verified on their hash alone (two columns, no joins): with a million
    # photos a lookup sees about a thousand candidates and keeps the few true matches.
    gaps = {
        pk: gap
        for pk, text in _earlier_photos(photo, chain).filter(condition).values_list("pk", "phash")
        if (gap := phash.distance(value, phash.from_hex(text))) <= max_distance
    }
    # Only the nearest few rows are read in full: a picture taken again and again (a form, a
    # gate) must not make each new copy load every earlier one.
    nearest = sorted(gaps, key=lambda pk: (gaps[pk], pk))[:NEAR_MATCHES_READ]
    matches = _earlier_photos(photo, chain).in_bulk(nearest) if nearest else {}
    return sorted(((gaps[pk], row) for pk, row in matches.items()), key=lambda p: (p[0], p[1].pk))


def earlier_before_photos(
    photo: PhotoEvidence, before_name: str, chain: set[int]
) -> list[PhotoEvidence]:
    """The same household's `before` photos: in this submission or in an earlier one."""
    if photo.household_id is None:
        return []
    return list(
        PhotoEvidence.objects.filter(
            Q(submission_id__lt=photo.submission_id) | Q(submission_id__in=chain),
            household_id=photo.household_id,
            decodable=True,
            field__endswith=f"/{before_name}",
        )
        .select_related("attachment", "submission")
        .order_by("pk")
    )


def previous_visit(visit: VisitEvidence, chain: set[int]) -> VisitEvidence | None:
    """The latest earlier located visit by the same worker or the same phone."""
    if visit.ended_at is None:
        return None
    found = [
        _latest_before(Q(worker_id=visit.worker_id), visit.ended_at, chain)
        if visit.worker_id
        else None,
        _latest_before(Q(device_id=visit.device_id), visit.ended_at, chain)
        if visit.device_id
        else None,
    ]
    candidates = [v for v in found if v is not None]
    return max(candidates, key=lambda v: (v.ended_at, v.pk)) if candidates else None


def _latest_before(who: Q, moment: datetime, chain: set[int]) -> VisitEvidence | None:
    return (
        VisitEvidence.objects.filter(who, ended_at__lte=moment, latitude__isnull=False)
        .exclude(submission_id__in=chain)
        .select_related("submission")
        # Exactly the order of the index (models.py): no sort, one row read.
        .order_by("-ended_at", "-pk")
        .first()
    )
