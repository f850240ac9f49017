"""Entity lists other than the household registry: ODK datasets and their entities.

The household list (`households`) is the registry's own (backend/households); every other list
a form declares lives here, as ODK Central keeps it: one dataset per project and name, its
properties learned from the forms' `save_to`, and each entity's history of versions.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class Dataset(TimeStampedModel):
    """An entity list of a project, registered when a form that writes to it is published."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("entity list")
        verbose_name_plural = _("entity lists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="dataset_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


# The property that places an entity in a village (an area code), as the households' does.
VILLAGE_PROPERTY = "village"


class DatasetProperty(TimeStampedModel):
    """A property of a list: a column of its CSV, in the order forms first saved to it."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="properties")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("entity list property")
        verbose_name_plural = _("entity list properties")
        ordering = ["dataset", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="dataset_property_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DatasetForm(TimeStampedModel):
    """A form that writes to a list, with what its current version may do to it."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="forms")
    form = models.ForeignKey("forms.Form", on_delete=models.CASCADE, related_name="+")
    creates = models.BooleanField(_("creates entities"), default=False)
    updates = models.BooleanField(_("updates entities"), default=False)

    class Meta:
        verbose_name = _("form of an entity list")
        verbose_name_plural = _("forms of entity lists")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "form"], name="dataset_form_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} ← {self.form_id}"


class EntityConflict(models.TextChoices):
    NONE = "", _("None")
    # Updated from an older version, but the changes touched different properties.
    SOFT = "soft", _("Parallel update")
    # Updated from an older version, and the same properties were changed differently.
    HARD = "hard", _("Conflict")


class Entity(TimeStampedModel):
    """One entity of a list: its current label and properties (strings, as the spec defines)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="entities")
    # The entity `name`: a v4 UUID that never changes, also on the phones; unique across lists,
    # as ODK Central keeps it, so an id names one entity whatever list a form says.
    uuid = models.UUIDField(_("entity id"), default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=255)
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Where the entity lies, for scoping: its `village` property, else the village of the
    # submission that created it; none when neither names one (the whole project sees it).
    village = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    conflict = models.CharField(
        _("conflict"),
        max_length=4,
        choices=EntityConflict.choices,
        default=EntityConflict.NONE,
        blank=True,
    )
    # The last time a supervisor looked at a conflict and marked it resolved, and why.
    conflict_resolved_at = models.DateTimeField(_("conflict resolved"), null=True, blank=True)
    conflict_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conflict_note = models.TextField(_("resolution note"), blank=True)
    # A deleted entity leaves the phones' lists; the integrity check reports it deleted.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["dataset", "label", "pk"]
        indexes = [models.Index(fields=["dataset", "village"], name="entity_dataset_village")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conflict__in=EntityConflict.values), name="entity_conflict"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class EntityVersion(TimeStampedModel):
    """One state of an entity: what it became, what was received, from which submission."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    label = models.CharField(_("label"), max_length=255)
    data = models.JSONField(_("properties"), default=dict)  # every property after this change
    received = models.JSONField(_("received"), default=dict)  # only what this change received
    base_version = models.PositiveIntegerField(_("based on version"), null=True, blank=True)
    # Offline updates (entities 2024.1): the phone's branch, the server version it started from,
    # and the phone's own numbering of the version this one builds on.
    branch_id = models.CharField(max_length=36, blank=True, db_index=True)
    trunk_version = models.PositiveIntegerField(null=True, blank=True)
    branch_base_version = models.PositiveIntegerField(null=True, blank=True)
    conflict = models.CharField(
        _("conflict"),
        max_length=4,
        choices=EntityConflict.choices,
        default=EntityConflict.NONE,
        blank=True,
    )
    conflicting_properties = models.JSONField(default=list, blank=True)
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entity_versions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("entity version")
        verbose_name_plural = _("entity versions")
        ordering = ["entity", "version"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "version"], name="entity_version_unique"),
            # A submission changes an entity at most once: processing again changes nothing.
            models.UniqueConstraint(
                fields=["entity", "submission"], name="entity_version_once_per_submission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.uuid} v{self.version}"


class HeldEntityUpdate(TimeStampedModel):
    """An offline update whose predecessor in its branch has not arrived yet: applied once the
    predecessor is, or forced through with a conflict mark after HOUSEHOLD_BACKLOG_HOURS."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="held_entity_updates"
    )
    entity_uuid = models.UUIDField()
    branch_id = models.CharField(max_length=36)
    branch_base_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("held offline entity update")
        verbose_name_plural = _("held offline entity updates")
        indexes = [models.Index(fields=["branch_id", "branch_base_version"])]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "entity_uuid"], name="held_entity_update_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} @ {self.branch_base_version}"


class RefusedEntity(TimeStampedModel):
    """An entity a submission created on a phone and the list refused (no label, an id already
    used): Collect keeps an offline entity until the integrity check reports it deleted."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(_("entity id"))
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("refused entity")
        verbose_name_plural = _("refused entities")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "uuid"], name="refused_entity_once")
        ]

    def __str__(self) -> str:
        return str(self.uuid)
