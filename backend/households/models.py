import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class Category(models.TextChoices):
    REGISTERED_POOR = "registered_poor", _("Registered poor household")
    EXITED = "exited", _("Household lifted out of poverty")
    MONITOR_UNSTABLE = "monitor_unstable", _("Monitoring: unstable lifted-out household")
    MONITOR_MARGINAL = "monitor_marginal", _("Monitoring: marginal household at risk")
    MONITOR_SUDDEN = "monitor_sudden", _("Monitoring: sudden severe difficulty")
    ORDINARY = "ordinary", _("Ordinary rural household")


class HouseGrade(models.TextChoices):
    A = "A", _("A: safe")
    B = "B", _("B: basically safe")
    C = "C", _("C: partially dangerous")
    D = "D", _("D: whole building dangerous")


class Conflict(models.TextChoices):
    NONE = "", _("None")
    # Updated from an older version, but the changes touched different properties.
    SOFT = "soft", _("Parallel update")
    # Updated from an older version, and the same properties were changed differently.
    HARD = "hard", _("Conflict")


class Household(TimeStampedModel):
    """A registered household: the entity `households` that forms read and update.

    `properties` holds every entity property as the string the spec defines; the typed columns
    mirror the ones the server filters and computes on (mapping in forms/library/README.md).
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="households"
    )
    # The entity `name`: a v4 UUID that never changes, also on the phones.
    uuid = models.UUIDField(_("entity id"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("household code"), max_length=64)
    label = models.CharField(_("label"), max_length=255)
    village = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="households")
    head_name = models.CharField(_("head of household"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, default=Category.ORDINARY
    )
    # When the household became a monitoring object and when its risk was eliminated: set by
    # the approval of a case (backend/casework), never by a form.
    included_on = models.DateField(_("included in monitoring on"), null=True, blank=True)
    risk_eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)
    member_count = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    income_per_capita = models.DecimalField(
        _("per-capita net income (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    income_year = models.PositiveSmallIntegerField(_("income year"), null=True, blank=True)
    house_grade = models.CharField(
        _("house safety grade"), max_length=1, choices=HouseGrade.choices, blank=True
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helped_households",
        verbose_name=_("assigned helper"),
    )
    # A worker other than the helper who re-inspects the house for the county (a renovation's
    # re-inspection sample, backend/casework): the house is on their phone's list, listed first.
    reinspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reinspected_households",
        verbose_name=_("re-inspected by"),
    )
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    # A supervisor's note that the phones show on the next visit.
    review_note = models.TextField(_("review note"), blank=True)
    # The household's open case and the step it waits at, as the phones show it on a visit
    # ("" when no case is open); written by backend/casework.
    case_note = models.CharField(_("open case"), max_length=200, blank=True, default="")
    # The look-back campaign under way that visits the household ("" when none): the phones list
    # its households first and mark them (backend/campaigns).
    campaign = models.CharField(_("campaign"), max_length=100, blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=1)
    properties = models.JSONField(_("entity properties"), default=dict, blank=True)
    # An open conflict a supervisor must look at; it stays until resolved.
    conflict = models.CharField(
        _("conflict"), max_length=4, choices=Conflict.choices, default=Conflict.NONE, blank=True
    )
    # The last time a supervisor looked at a conflict and marked it resolved, and why.
    conflict_resolved_at = models.DateTimeField(_("conflict resolved"), null=True, blank=True)
    conflict_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conflict_note = models.TextField(_("resolution note"), blank=True)
    # The household's line of the phones' list, stored when it is written (lines.py): the text
    # before the village code and the text after it, the list layout (HouseholdListLayout's id)
    # and the `updated_at` it was rendered for. A plain number, not a foreign key: it needs no
    # index or check on every write.
    list_head = models.TextField(blank=True, editable=False)
    list_tail = models.TextField(blank=True, editable=False)
    list_layout = models.PositiveIntegerField(null=True, editable=False)
    list_rendered_at = models.DateTimeField(null=True, editable=False)
    # For the list's version token (derived.py): a number that grows with each write that
    # changes the line, and the `updated_at` of the last write a service counted (a save that
    # skipped the services leaves it behind).
    list_change = models.BigIntegerField(default=0, editable=False)
    list_counted_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        # The list token's count and sums, and the next change number, read from the index alone.
        indexes = [
            models.Index(
                fields=["project", "list_change"],
                include=["updated_at", "list_counted_at", "version"],
                name="household_list_change",
            ),
            # The dashboard's longest-overdue households: the last visit, else the registration.
            models.Index(
                F("project"),
                Coalesce("last_visit_at", "created_at"),
                name="household_seen",
            ),
            # The households of a campaign under way, read first for the phones' list.
            models.Index(
                fields=["project", "code"],
                condition=~models.Q(campaign=""),
                name="household_campaign_first",
            ),
            # The houses a worker re-inspects for the county, on that worker's list.
            models.Index(
                fields=["reinspector"],
                condition=models.Q(reinspector__isnull=False),
                name="household_reinspector",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="household_code_per_project"),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="household_category"
            ),
            models.CheckConstraint(
                condition=models.Q(house_grade__in=[*HouseGrade.values, ""]),
                name="household_house_grade",
            ),
            models.CheckConstraint(
                condition=models.Q(conflict__in=Conflict.values), name="household_conflict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class HouseholdListLayout(models.Model):
    """The columns of a project's phone list and how each is written (lines.py): its id stamps
    the lines rendered for it, so a line rendered for other columns is never served as current.

    One row per project and layout, made when the project's forms first need it; a layout that
    comes back (a form closed and opened again) finds its row and its lines again.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="household_list_layouts"
    )
    digest = models.CharField(max_length=64)  # SHA-256 of `columns`
    # [[property, how it is written: "" as stored, or "masked"], ...] in column order.
    columns = models.JSONField(default=list)

    class Meta:
        verbose_name = _("household list layout")
        verbose_name_plural = _("household list layouts")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "digest"], name="household_list_layout_per_project"
            )
        ]

    def __str__(self) -> str:
        return ", ".join(column for column, _how in self.columns)


class HouseholdVersion(TimeStampedModel):
    """One state of a household: what it became, what was received, from which submission."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    label = models.CharField(_("label"), max_length=255)
    # The full set of entity properties after this change.
    data = models.JSONField(_("properties"), default=dict)
    # Only what this change received (absent properties were kept).
    received = models.JSONField(_("received"), default=dict)
    base_version = models.PositiveIntegerField(_("based on version"), null=True, blank=True)
    # Offline updates (entities 2024.1): the phone's branch, the server version it started from,
    # and the phone's own numbering of the version this one builds on.
    branch_id = models.CharField(max_length=36, blank=True, db_index=True)
    trunk_version = models.PositiveIntegerField(null=True, blank=True)
    branch_base_version = models.PositiveIntegerField(null=True, blank=True)
    conflict = models.CharField(
        _("conflict"), max_length=4, choices=Conflict.choices, default=Conflict.NONE, blank=True
    )
    conflicting_properties = models.JSONField(default=list, blank=True)
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="household_versions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("household version")
        verbose_name_plural = _("household versions")
        ordering = ["household", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "version"], name="household_version_unique"
            ),
            # A submission changes a household at most once: merging again changes nothing.
            models.UniqueConstraint(
                fields=["household", "submission"], name="household_version_once_per_submission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} v{self.version}"


class HeldUpdate(TimeStampedModel):
    """An offline update whose predecessor in its branch has not arrived yet.

    It is applied as soon as the predecessor is, or forced through with a conflict mark after
    HOUSEHOLD_BACKLOG_HOURS, so a lost submission never blocks a household for ever.
    """

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="held_update"
    )
    household_uuid = models.UUIDField()
    branch_id = models.CharField(max_length=36)
    branch_base_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("held offline update")
        verbose_name_plural = _("held offline updates")
        indexes = [models.Index(fields=["branch_id", "branch_base_version"])]

    def __str__(self) -> str:
        return f"{self.branch_id} @ {self.branch_base_version}"


class RefusedHousehold(TimeStampedModel):
    """A household a registration created on the phone and the registry refused (its code
    already used, its village unknown, no label). Collect keeps a household it created offline
    until the list's integrity check reports it deleted, so its id is kept here to say so."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(_("entity id"))
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("refused household")
        verbose_name_plural = _("refused households")
        constraints = [
            models.UniqueConstraint(fields=["project", "uuid"], name="refused_household_once")
        ]

    def __str__(self) -> str:
        return str(self.uuid)
