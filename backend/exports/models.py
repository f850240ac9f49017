from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class ExportKind(models.TextChoices):
    FORM_CSV = "form_csv", _("Form submissions, CSV files in a zip")
    FORM_XLSX = "form_xlsx", _("Form submissions, Excel workbook")
    HOUSEHOLDS_CSV = "households_csv", _("Household registry, CSV")
    HOUSEHOLDS_XLSX = "households_xlsx", _("Household registry, Excel workbook")
    HISTORY_CSV = "household_history_csv", _("Household version history, CSV")
    HISTORY_XLSX = "household_history_xlsx", _("Household version history, Excel workbook")
    HOUSEHOLDS_GEOJSON = "households_geojson", _("Household locations, GeoJSON")
    SUBMISSIONS_GEOJSON = "submissions_geojson", _("Submission points, GeoJSON")
    PHOTOS_ZIP = "photos_zip", _("Photo archive, zip with an index")
    CASES_XLSX = "cases_xlsx", _("Cases by state and level, Excel workbook")
    DOSSIERS_ZIP = "dossiers_zip", _("Household files of a village, PDFs in a zip")
    RECTIFICATIONS_XLSX = (
        "rectifications_xlsx",
        _("Rectification ledger by village and by department, Excel workbook"),
    )


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Export(TimeStampedModel):
    """A file built in the background from what the requester may see, kept in storage."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=ExportKind.choices)
    # The validated request: form, language, header style, filters (see services.ExportParams).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveBigIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), max_length=500, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ExportKind.values), name="export_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ExportState.values), name="export_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="export_progress_percent"
            ),
        ]
        indexes = [models.Index(fields=["project", "requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
