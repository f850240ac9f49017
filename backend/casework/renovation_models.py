"""A dangerous-house renovation's own rows beside its case (docs/renovation.md): what the
appraisal and the plan decided, the move-in and its deadline, the subsidy, the priority groups,
the visits that recorded its stages and the county's re-inspection samples."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PriorityGroup(models.TextChoices):
    """The four priority groups whose dangerous houses are cleared first (seed 000:
    确保新增4类重点对象危房全部清零)."""

    REGISTERED = "registered", _("Registered poor household")
    DIBAO = "dibao", _("Minimum living allowance household")
    EXTREME_POOR = "extreme_poor", _("Extremely poor person supported at home")
    DISABLED = "disabled", _("Poor household with a disabled member")


class Stage(models.TextChoices):
    """The stages of the housing inspection form (forms/library/housing_inspection.md)."""

    BEFORE = "before", _("Before renovation")
    DURING = "during", _("During construction")
    AFTER = "after", _("Completion")


class Renovation(models.Model):
    """What a renovation case decided beyond its steps' records: kept in columns so the
    zero-out table and the payments read one row per house."""

    case = models.OneToOneField(
        "casework.Case", on_delete=models.CASCADE, primary_key=True, related_name="renovation"
    )
    # Codes of PriorityGroup the household belonged to when the renovation opened.
    priority_groups = models.JSONField(_("priority groups"), default=list, blank=True)
    grade = models.CharField(_("appraised grade"), max_length=1, blank=True)
    method = models.CharField(_("renovation method"), max_length=16, blank=True)
    # The plan's move-in deadline; the household has moved in when moved_in_on is set.
    move_in_by = models.DateField(_("move in by"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    subsidy_amount = models.DecimalField(
        _("subsidy (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("subsidy paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The county's re-inspection sample that took this renovation, and the worker (not the
    # household's helper) on whose phone list the house now is.
    sample = models.ForeignKey(
        "casework.ReinspectionSample",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renovations",
    )
    reinspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-inspected by"),
    )

    class Meta:
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        constraints = [
            # A payment is an amount on a date, both or neither.
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=True, subsidy_amount__isnull=True)
                | models.Q(paid_on__isnull=False, subsidy_amount__gt=0),
                name="renovation_paid_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"renovation {self.case_id}"

    def move_in_overdue(self, today: date) -> bool:
        """Whether the plan's move-in deadline passed with the household not moved in."""
        return self.move_in_by is not None and self.moved_in_on is None and self.move_in_by < today


class RenovationVisit(models.Model):
    """A merged visit of the housing inspection form that recorded a stage of the renovation
    (its photos are the before/after evidence); `out_of_order` when it came before the stages
    it needs."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    out_of_order = models.BooleanField(_("out of order"), default=False)

    class Meta:
        verbose_name = _("renovation visit")
        verbose_name_plural = _("renovation visits")
        ordering = ["case", "submission_id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "submission"], name="renovation_visit_once"),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="renovation_visit_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.stage} ({self.submission_id})"


class ReinspectionSample(models.Model):
    """One draw of the county's re-inspection sample: the share and the seed are kept, so the
    draw can be repeated and checked."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    share = models.PositiveSmallIntegerField(_("share (%)"))
    seed = models.BigIntegerField(_("random seed"))
    # How many accepted renovations the draw chose from.
    population = models.PositiveIntegerField(_("renovations drawn from"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-inspection sample")
        verbose_name_plural = _("re-inspection samples")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"sample {self.pk} ({self.share}%, seed {self.seed})"
