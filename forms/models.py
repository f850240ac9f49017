from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel
from forms.form_ids import is_addressable


class FormState(models.TextChoices):
    DRAFT = "draft", _("Draft")  # not offered to phones
    OPEN = "open", _("Open")  # offered to phones, accepts submissions
    CLOSING = "closing", _("Closing")  # no longer offered, still accepts submissions
    CLOSED = "closed", _("Closed")  # refuses submissions


class Form(TimeStampedModel):
    """A survey in a project, identified by the XForm's id; its versions follow one another."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="forms")
    xml_form_id = models.CharField(_("form id"), max_length=255)
    title = models.CharField(_("title"), max_length=255)
    state = models.CharField(
        _("state"), max_length=16, choices=FormState.choices, default=FormState.OPEN
    )
    current_version = models.OneToOneField(
        "FormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["xml_form_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "xml_form_id"], name="form_id_per_project"),
            models.CheckConstraint(
                condition=models.Q(state__in=FormState.values), name="form_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.xml_form_id})"

    @property
    def addressable(self) -> bool:
        """Whether a URL can name this form; a stored id may not (forms/form_ids.py)."""
        return is_addressable(self.xml_form_id)


def _source_path(instance: "FormVersion", filename: str) -> str:
    form = instance.form
    return f"forms/{form.project_id}/{form.xml_form_id}/{instance.md5}/{filename}"


class FormVersion(TimeStampedModel):
    """One published version: the XForm exactly as served, never changed once published."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("version"), max_length=255, blank=True)
    # The served bytes are xform.encode("utf-8"); md5 is of those bytes (the formList hash).
    xform = models.TextField(_("XForm"))
    md5 = models.CharField(_("MD5"), max_length=32)
    source = models.FileField(_("source file"), upload_to=_source_path, max_length=500)
    source_name = models.CharField(_("source file name"), max_length=255)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # Entity declarations read from the XForm: spec version, lists, actions and save_to fields.
    entities = models.JSONField(_("entities"), default=dict, blank=True)
    # Field path -> XForms type, read once at publish so submissions need not re-parse the XForm.
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="form_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.form.xml_form_id} {self.version or '(no version)'}"

    @property
    def xform_bytes(self) -> bytes:
        return self.xform.encode("utf-8")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    FILE = "file", _("File")


class FormAttachment(TimeStampedModel):
    """A file a form version references: uploaded content, a link to an entity list, or a list
    the server writes from its own tables."""

    form_version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    # Content-addressed path in the default storage; versions share a file when content matches.
    file = models.FileField(_("file"), max_length=500, blank=True)
    md5 = models.CharField(_("MD5"), max_length=32, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    # Set when the file is an entity list the server generates (e.g. households.csv).
    entity_list = models.CharField(_("entity list"), max_length=64, blank=True)
    # Set when the server writes the file from its own tables at each download (villages.csv
    # from the areas), so it is never uploaded and never stale.
    generated = models.CharField(_("generated list"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("form attachment")
        verbose_name_plural = _("form attachments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["form_version", "name"], name="attachment_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_present(self) -> bool:
        """Whether the phone can download it now."""
        return bool(self.entity_list or self.generated or self.file)
