from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class PhotoEvidence(TimeStampedModel):
    """What one photo of a submission shows about itself: camera time and place, size,
    perceptual hash and thumbnails. Written once when the photo is first checked."""

    attachment = models.OneToOneField(
        "submissions.SubmissionAttachment", on_delete=models.CASCADE, related_name="evidence"
    )
    # Copied from the attachment so the checks can query them with an index.
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="photo_evidence"
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photo_evidence",
    )
    # The image question, e.g. /data/after/photo_after.
    field = models.CharField(_("question"), max_length=255)
    sha256 = models.CharField(max_length=64)
    # Whether the file decodes as a safe image, and why not.
    decodable = models.BooleanField(_("decodable"), default=True)
    problem = models.CharField(_("problem"), max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # EXIF. When the photo carries no UTC offset, `taken_at` reads its clock in the visit's zone
    # and `taken_offset_known` is false.
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    taken_offset_known = models.BooleanField(default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    altitude = models.FloatField(_("altitude (m)"), null=True, blank=True)
    make = models.CharField(_("camera make"), max_length=100, blank=True)
    model = models.CharField(_("camera model"), max_length=100, blank=True)
    orientation = models.PositiveSmallIntegerField(null=True, blank=True)
    # Storage names beside the original: <original>.320.jpg and <original>.1280.jpg.
    thumb_small = models.CharField(max_length=520, blank=True)
    thumb_large = models.CharField(max_length=520, blank=True)
    # 64-bit dHash as 16 hex digits, and its four 16-bit bands for the near-match index
    # (backend/media/phash.py). Bands are null when the photo is not decodable or nearly flat.
    phash = models.CharField(max_length=16, blank=True)
    phash_band0 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_band1 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_band2 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_band3 = models.IntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("photo evidence")
        verbose_name_plural = _("photo evidence")
        ordering = ["submission", "field", "attachment"]
        indexes = [
            # The first earlier photo with the same bytes, in the lookup's order: one row read
            # however often a picture was sent before (selectors.identical_earlier_photo).
            models.Index(fields=["sha256", "id"], name="photo_sha256_first"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.attachment_id}"


class VisitEvidence(TimeStampedModel):
    """Where and when one submission says the visit happened, kept for checks across visits
    (a worker or a phone in two places at once)."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="visit_evidence"
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_evidence",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    device_id = models.CharField(max_length=255, blank=True)
    point_field = models.CharField(max_length=255, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("visit evidence")
        verbose_name_plural = _("visit evidence")
        # The previous located visit of a worker or a phone, in the lookup's exact order
        # (selectors.previous_visit): the index is walked from the visit's time and stops at the
        # first row, where an order without the tie-break sorted every visit of the worker.
        indexes = [
            models.Index(
                "worker",
                models.F("ended_at").desc(),
                models.F("id").desc(),
                condition=models.Q(latitude__isnull=False),
                name="visit_worker_previous",
            ),
            models.Index(
                "device_id",
                models.F("ended_at").desc(),
                models.F("id").desc(),
                condition=models.Q(latitude__isnull=False),
                name="visit_device_previous",
            ),
        ]

    def __str__(self) -> str:
        return str(self.submission_id)
