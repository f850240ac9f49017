from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class ReviewState(models.TextChoices):
    RECEIVED = "received", _("Received")
    EDITED = "edited", _("Edited")
    HAS_ISSUES = "has_issues", _("Has issues")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Channel(models.TextChoices):
    """How a submission reached the server: the same intake either way."""

    PHONE = "phone", _("ODK Collect")
    # Entered in the browser (docs/forms.md#web-forms), by `submitted_by`.
    WEB = "web", _("Web form")


class Submission(TimeStampedModel):
    """One version of a filled form as ODK Collect sent it. An edit is a new row that supersedes
    the previous one (`deprecatedID`); nothing is overwritten."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey("forms.Form", on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(
        "forms.FormVersion", on_delete=models.PROTECT, related_name="submissions"
    )
    instance_id = models.CharField(_("instance ID"), max_length=255)
    # The form declares no meta/instanceID, so the server made this one (instance_ids.py).
    instance_id_assigned = models.BooleanField(_("instance ID made by the server"), default=False)
    instance_name = models.CharField(_("instance name"), max_length=255, blank=True)
    device_id = models.CharField(_("device ID"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="submissions",
        verbose_name=_("submitted by"),
    )
    device_token = models.ForeignKey(
        "accounts.DeviceToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(
        _("entered in"), max_length=8, choices=Channel.choices, default=Channel.PHONE
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    is_current = models.BooleanField(_("current"), default=True)
    xml = models.TextField(_("XML"))
    xml_sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    # Every attachment named in the XML has arrived.
    complete = models.BooleanField(_("complete"), default=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Extracted after commit: field path -> value typed by the XForm (repeats as lists).
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    # The evidence checks (photos, GPS, timing) that follow the merge are done; empty while they
    # are to come, so the periodic retry finds a check whose task was lost.
    evidence_checked_at = models.DateTimeField(_("evidence checked"), null=True, blank=True)
    processing_error = models.TextField(_("processing error"), blank=True)
    # Failed runs since the last success: the periodic retry gives up after a few.
    processing_attempts = models.PositiveSmallIntegerField(_("failed processing runs"), default=0)
    # Why the household list could not take this submission (unknown household, missing label...).
    entity_error = models.TextField(_("household update error"), blank=True)
    review_state = models.CharField(
        _("review state"), max_length=16, choices=ReviewState.choices, default=ReviewState.RECEIVED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The review queue's order: the weighted sum of this submission's open flags. Stored so that
    # the queue reads it from an index; the flag services keep it, a change of the project's
    # weights recomputes it (backend/flags/risk.py, docs/web.md).
    risk = models.PositiveIntegerField(_("risk score"), default=0)
    # The village of the (first) household this submission changed, set when it is merged and
    # moved with the household: what the area-scoped pages filter on without a join per row.
    village = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("village"),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "instance_id"], name="submission_instance_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(review_state__in=ReviewState.values),
                name="submission_review_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "form", "-created_at"]),
            # The review queue, riskiest first: its default view ("to review") is a range of
            # this index, the other review states a walk of the next one.
            # The area scope's columns are included: an area-scoped count reads the index only.
            models.Index(
                fields=["project", "-risk", "-created_at", "-id"],
                condition=models.Q(is_current=True, review_state__in=["received", "edited"]),
                include=["village", "submitted_by"],
                name="submission_queue_to_review",
            ),
            models.Index(
                fields=["project", "-risk", "-created_at", "-id"],
                condition=models.Q(is_current=True),
                include=["village", "submitted_by"],
                name="submission_queue",
            ),
            # One review state (has issues, rejected: a few percent of the rows).
            models.Index(
                fields=["project", "review_state", "-risk", "-created_at", "-id"],
                condition=models.Q(is_current=True),
                name="submission_queue_state",
            ),
            # Submissions received per day (the dashboard's chart), counted from the index alone
            # also within a supervisor's area.
            models.Index(
                fields=["project", "created_at"],
                include=["village", "submitted_by"],
                condition=models.Q(is_current=True),
                name="submission_received_per_day",
            ),
            # A village's queue (the village filter) and the area-scoped counts.
            models.Index(
                fields=["village", "-risk", "-created_at", "-id"],
                condition=models.Q(is_current=True),
                name="submission_queue_village",
            ),
            # What the periodic retry looks for: never processed or checked, or failed (a few).
            models.Index(
                fields=["created_at"],
                condition=models.Q(processed_at__isnull=True)
                | models.Q(evidence_checked_at__isnull=True)
                | ~models.Q(processing_error=""),
                name="submission_unprocessed",
            ),
        ]

    def __str__(self) -> str:
        return self.instance_name or self.instance_id


class AttachmentState(models.TextChoices):
    EXPECTED = "expected", _("Expected")  # named in the XML, not received yet
    RECEIVED = "received", _("Received")


class SubmissionAttachment(TimeStampedModel):
    """A file named by the submission XML (photo, signature, audit log), received or awaited."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    state = models.CharField(
        _("state"), max_length=8, choices=AttachmentState.choices, default=AttachmentState.EXPECTED
    )
    # Content-addressed path: attachments/<sha256[:2]>/<sha256>.
    file = models.FileField(_("file"), max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    md5 = models.CharField(max_length=32, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # For image questions: whether the file decodes as a safe image (None until checked).
    image_ok = models.BooleanField(null=True, blank=True)
    image_problem = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("submission attachment")
        verbose_name_plural = _("submission attachments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "name"], name="submission_attachment_name"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=AttachmentState.values),
                name="submission_attachment_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
