"""Cases: a household brought into monitoring, its risk eliminated, returned to poverty or moved
to another category, each through the steps its kind lists (backend/casework/kinds.py)."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.areas.models import Area, Level
from backend.core.models import TimeStampedModel
from backend.households.models import Category
from backend.projects.models import Department


class Kind(models.TextChoices):
    INCLUSION = "inclusion", _("Inclusion as a monitoring object")
    ELIMINATION = "elimination", _("Risk elimination")
    RETURN_TO_POVERTY = "return_to_poverty", _("Return to poverty")
    CATEGORY_CHANGE = "category_change", _("Category change")
    RECTIFICATION = "rectification", _("Rectification item")
    RENOVATION = "renovation", _("Dangerous-house renovation")


# The kinds that change a household's status: one of them is open on a household at a time.
# Rectification items stand beside them, one per problem (docs/rectification.md).
STATUS_KINDS = (Kind.INCLUSION, Kind.ELIMINATION, Kind.RETURN_TO_POVERTY, Kind.CATEGORY_CHANGE)


# A case's state and a step's decision in words of their own context: "reject" closes the case
# (不予通过), which the shorter words the submissions' review shares would read as a return.
class CaseState(models.TextChoices):
    OPEN = "open", pgettext_lazy("case state", "In progress")
    APPROVED = "approved", pgettext_lazy("case state", "Approved")
    REJECTED = "rejected", pgettext_lazy("case state", "Rejected")


class Decision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("case decision", "Approve")
    RETURN = "return", pgettext_lazy("case decision", "Return to the level below")
    REJECT = "reject", pgettext_lazy("case decision", "Reject")


class TriggerSource(models.TextChoices):
    VISIT = "visit", _("A visit's proposal")
    FLAG = "flag", _("A monitoring rule")
    PERSON = "person", _("A person")


class AttachmentRole(models.TextChoices):
    CONSENT = "consent", _("Signed consent of the household")
    CONFIRMATION = "confirmation", _("Double-confirmation form")
    MINUTES = "minutes", _("Minutes of the appraisal")
    NOTICE_PHOTO = "notice_photo", _("Photo of the notice board")
    ANNOUNCEMENT = "announcement", _("Announcement")
    SIGNATURE = "signature", _("Signature")
    EVIDENCE = "evidence", _("Rectification evidence")
    APPRAISAL_REPORT = "appraisal_report", _("Appraisal report")
    SITE_PHOTO = "site_photo", _("Photo of the house")
    OTHER = "other", _("Other document")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not yet handled")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


# The levels a case passes through; villager groups decide nothing.
CASE_LEVELS = [Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY]


class Case(TimeStampedModel):
    """One procedure on one household, or a rectification item on a household or a village
    (a road, a water works, a clinic): open while a step waits for its level's decision."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="cases")
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cases",
    )
    # A village's own problem (a rectification item without a household).
    village = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    # The household's flag a rectification item was opened for: one item per flag.
    flag = models.ForeignKey(
        "flags.Flag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("problem found"),
    )
    # The line department a rectification item is handed to ("" for none): its staff see it
    # and work its rectification step.
    department = models.CharField(
        _("department"), max_length=16, choices=Department.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The category the household takes when the case is approved ("" for kinds that set none).
    category = models.CharField(
        _("proposed category"), max_length=32, choices=Category.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN
    )
    # The step waiting for a decision, its level and its due date (empty once the case is
    # closed): lists of cases read these columns, not the steps.
    step = models.CharField(_("step"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Nobody when the system opened it (a visit's proposal, a rule).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The household's version the approval made: the case is the source of that change.
    household_version = models.OneToOneField(
        "households.HouseholdVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("household version"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A second trigger attaches to the open case instead of opening another.
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(state="open", kind__in=STATUS_KINDS),
                name="case_one_open_per_household",
            ),
            models.UniqueConstraint(
                fields=["flag"],
                condition=models.Q(flag__isnull=False),
                name="case_one_item_per_flag",
            ),
            # One renovation under way per house.
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(state="open", kind="renovation"),
                name="case_one_renovation_per_household",
            ),
            # A case is about a household, or (a rectification item) about a village.
            models.CheckConstraint(
                condition=models.Q(household__isnull=False, village__isnull=True)
                | models.Q(household__isnull=True, village__isnull=False, kind="rectification"),
                name="case_household_or_village",
            ),
            models.CheckConstraint(
                condition=models.Q(department="")
                | models.Q(kind="rectification", department__in=Department.values),
                name="case_department",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="case_kind"),
            models.CheckConstraint(
                condition=models.Q(state__in=CaseState.values), name="case_state"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=[*Category.values, ""]), name="case_category"
            ),
            # An open case waits at a step; a closed one at none.
            models.CheckConstraint(
                condition=(models.Q(state="open") & ~models.Q(step="") & ~models.Q(level=""))
                | (~models.Q(state="open") & models.Q(step="", level="")),
                name="case_step_while_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["project", "level", "due_on"],
                condition=models.Q(state="open"),
                name="case_open_by_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def village_id_of(self) -> int:
        """The village the case is about: the household's, or its own."""
        if self.household is not None:
            return self.household.village_id
        assert self.village_id is not None  # a check constraint
        return self.village_id

    @property
    def place(self) -> Area:
        """The village the case is about (its household's, or its own)."""
        place = self.household.village if self.household is not None else self.village
        assert place is not None  # a check constraint
        return place

    @property
    def subject_label(self) -> str:
        """Whom the case is about, as lists name it: the household, or the village."""
        return self.household.label if self.household is not None else self.place.name

    def is_overdue(self, today: date) -> bool:
        """Whether the waiting step is past its due date."""
        return self.state == CaseState.OPEN and self.due_on is not None and self.due_on < today


class CaseStep(TimeStampedModel):
    """One pass of a case through one step: waiting while `decision` is empty, then decided.

    A return adds a new pass of the step it returns to, so every decision stays in the timeline.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=40)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    started_on = models.DateField(_("started"))
    due_on = models.DateField(_("due"))
    # What the step records (minutes, votes, the notice's dates...): the fields of its kind.
    record = models.JSONField(_("record"), default=dict, blank=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The pass of the level above that sent the case back here: its comment is the reason the
    # level below reads.
    returned_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(decision=""), name="case_step_one_waiting"
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=[*Decision.values, ""]),
                name="case_step_decision",
            ),
            # A return or a rejection says why.
            models.CheckConstraint(
                condition=~models.Q(decision__in=["return", "reject"], comment=""),
                name="case_step_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.step} ({self.decision or 'waiting'})"


class CaseTrigger(TimeStampedModel):
    """What opened a case, or asked for one while it was open (then it joins that case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triggers")
    source = models.CharField(_("source"), max_length=8, choices=TriggerSource.choices)
    # The kind of case the trigger asked for: a trigger that joins an open case of another kind
    # stays visible on it.
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The visit's outcome (propose_monitor, propose_clear) or the flag's code.
    code = models.CharField(_("code"), max_length=40, blank=True)
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    flag = models.ForeignKey(
        "flags.Flag", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case trigger")
        verbose_name_plural = _("case triggers")
        ordering = ["case", "created_at", "id"]
        constraints = [
            # A flag asks for a case once, whatever became of it.
            models.UniqueConstraint(
                fields=["flag"], condition=models.Q(flag__isnull=False), name="case_trigger_flag"
            ),
            models.UniqueConstraint(
                fields=["case", "submission", "code"],
                condition=models.Q(submission__isnull=False),
                name="case_trigger_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.source} {self.code}"


class CaseAttachment(TimeStampedModel):
    """A document or a signature a step needs, stored by its content (backend/core/storage.py)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    step = models.CharField(_("step"), max_length=40)
    role = models.CharField(_("document"), max_length=16, choices=AttachmentRole.choices)
    # For a signature: whose (the step's signatories, kinds.py SIGNATORIES) and their name.
    signer_role = models.CharField(_("signatory"), max_length=32, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=100, blank=True)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    path = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["case", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=AttachmentRole.values), name="case_attachment_role"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="signature", signer_role=""),
                name="case_attachment_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.role} {self.name}"


class NoticeObjection(TimeStampedModel):
    """An objection raised during a case's public notice, and what was made of it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="objections")
    # The pass of the notice step it was raised against: a notice posted again after a return
    # starts without objections, and the earlier ones stay in the timeline.
    notice = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received"))
    # As the objector gave it; may be empty (objections may be anonymous).
    raised_by = models.CharField(_("raised by"), max_length=100, blank=True)
    text = models.TextField(_("objection"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["case", "received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="notice_objection_outcome"
            ),
            # An objection is handled with a note saying how.
            models.CheckConstraint(
                condition=models.Q(outcome="pending") | ~models.Q(outcome_note=""),
                name="notice_objection_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.received_on} ({self.outcome})"


class DayOverride(models.Model):
    """A day that is a working day or a day off against what the holiday library says, or in a
    year it does not cover yet: the State Council publishes each year's holidays in the autumn
    before. The row wins over the library."""

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {_('working day') if self.working else _('day off')}"


class CaseworkSettings(models.Model):
    """A project's casework settings; a project without a row runs on the defaults."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="casework_settings"
    )
    notice_min_days = models.PositiveSmallIntegerField(
        _("shortest public notice (days)"),
        default=7,
        help_text=_("A notice must stay up at least this many days, from its start to its end."),
    )
    income_steady_visits = models.PositiveSmallIntegerField(
        _("visits with income above the line before elimination"),
        default=2,
        help_text=_(
            "The risk of a household is eliminated only when this many of its latest recorded "
            "incomes are all above the monitoring line of their year."
        ),
    )

    reinspection_share = models.PositiveSmallIntegerField(
        _("share of accepted renovations the county re-inspects (%)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Each draw of the county's re-inspection sample takes this share of the renovations "
            "the county accepted and has not sampled yet, at least one."
        ),
    )

    class Meta:
        verbose_name = _("casework settings")
        verbose_name_plural = _("casework settings")

    def __str__(self) -> str:
        return str(self.project)


# The renovation's own rows (a module of their own: this one holds the engine's).
from backend.casework.renovation_models import (  # noqa: E402
    ReinspectionSample as ReinspectionSample,
)
from backend.casework.renovation_models import Renovation as Renovation  # noqa: E402
from backend.casework.renovation_models import RenovationVisit as RenovationVisit  # noqa: E402
