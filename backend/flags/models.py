from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    SERIOUS = "serious", _("Serious")


class FlagState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Flag(TimeStampedModel):
    """A problem found on a household (a monitoring rule) or a submission (an evidence check).

    It stays open until a later visit shows the condition gone (closed naming that submission) or a
    supervisor clears it with a note ("dynamic zeroing").
    """

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="flags")
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
    )
    # The household's village, kept with the flag (the flag services when they open or move a
    # flag; household_moved when the household moves) so that open flags are counted by village
    # from one index, not by joining a whole county's households.
    village = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("found by"),
    )
    code = models.CharField(_("code"), max_length=40)
    # What an evidence flag is about within its submission: "s<submission id>" for the visit,
    # "s<submission id>/<file name>" for one photo. Empty for household rules, whose subject is
    # the household itself.
    subject = models.CharField(_("subject"), max_length=300, blank=True, default="")
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    state = models.CharField(
        _("state"), max_length=8, choices=FlagState.choices, default=FlagState.OPEN
    )
    # The numbers the rule used, so a reviewer sees why (and can check the rule).
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by_submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at"]
        constraints = [
            # One open flag per problem per household: re-checking never duplicates it.
            models.UniqueConstraint(
                fields=["household", "code"],
                condition=models.Q(state="open", household__isnull=False, subject=""),
                name="flag_one_open_per_household_code",
            ),
            # Evidence flags: one open flag per problem per visit or photo.
            models.UniqueConstraint(
                fields=["code", "subject"],
                condition=models.Q(state="open") & ~models.Q(subject=""),
                name="flag_one_open_per_subject_code",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=FlagState.values), name="flag_state"
            ),
            models.CheckConstraint(
                condition=models.Q(severity__in=Severity.values), name="flag_severity"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "state", "code"]),
            # The dashboard counts a whole area's open flags by village and code: read from this
            # index alone, not from the flag rows.
            models.Index(
                fields=["project", "village", "code"],
                condition=models.Q(state="open"),
                name="flag_open_by_village",
            ),
            # The merge asks, per visit, for a household's last flag of a code (whether a
            # supervisor cleared it, monitoring/engine.py): read in this exact order, one row,
            # however many visits the household had.
            models.Index(
                "household",
                "code",
                models.F("created_at").desc(),
                models.F("id").desc(),
                condition=models.Q(subject=""),
                name="flag_household_code_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.state})"


class RiskWeight(TimeStampedModel):
    """How much one open flag of a code adds to a submission's risk score, set per project.

    Codes without a row weigh by the flag's severity (backend/flags/risk.py, docs/web.md).
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="risk_weights"
    )
    code = models.CharField(_("flag code"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta:
        # The table the review app created; the weights belong with the flags they weigh.
        db_table = "review_riskweight"
        verbose_name = _("risk weight")
        verbose_name_plural = _("risk weights")
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="risk_weight_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.weight}"
