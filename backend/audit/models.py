from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    VIEW_HOUSEHOLD = "view_household", _("Viewed a household")
    VIEW_SUBMISSION = "view_submission", _("Viewed a submission")
    REVEAL = "reveal", _("Revealed personal data")
    # The household list, or another entity list (object type "entity_list").
    DOWNLOAD_LIST = "download_list", _("Downloaded an entity list to a phone")
    IMPORT_DEPARTMENT = "import_dept", _("Imported a department's records")
    VIEW_DEPARTMENT = "view_dept", _("Viewed a household's department records")
    VIEW_CASE_DOCUMENT = "view_case_doc", _("Downloaded a case's document")
    VIEW_ENTITY = "view_entity", _("Viewed entities of an entity list")


class AccessLog(models.Model):
    """Who looked at whose personal data, when and from where (append-only)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AccessKind.choices)
    # "household", "submission", "export" or "household_list", and its id as the pages show it
    # (UUID, number, or the list's name).
    object_type = models.CharField(_("object type"), max_length=16)
    object_id = models.CharField(_("object"), max_length=64)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The phone that downloaded a list, and how many households the list held.
    device = models.ForeignKey(
        "accounts.DeviceToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("device"),
    )
    count = models.PositiveIntegerField(_("records"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AccessKind.values), name="access_log_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.object_type}:{self.object_id}"
