"""Look-back campaigns (回头看): a scope of households, the plan's time nodes, who visits whom,
and the sign-offs that close it (docs/campaigns.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.areas.models import Level
from backend.core.models import TimeStampedModel


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", _("Signed off")


class NodeKind(models.TextChoices):
    """The time nodes of seed 003's plan, in order."""

    TRAINING = "training", _("Training")
    VISITS = "visits", _("Household visits")
    COMPILATION = "compilation", _("Compilation of the returns")
    DEPARTMENT_CHECKS = "department_checks", _("Department cross-checks")
    SIGN_OFF = "sign_off", _("Sign-off")


class Campaign(TimeStampedModel):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(
        _("state"), max_length=8, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    # The scope: villages (none: every village), then any of the narrowing conditions.
    villages = models.ManyToManyField("areas.Area", blank=True, related_name="+")
    categories = models.JSONField(_("categories"), default=list, blank=True)
    income_below = models.DecimalField(
        _("per-capita income below"), max_digits=10, decimal_places=0, null=True, blank=True
    )
    income_year = models.PositiveSmallIntegerField(_("of the income year"), null=True, blank=True)
    priority_groups = models.JSONField(_("priority groups"), default=list, blank=True)
    with_open_flags = models.BooleanField(_("households with open problems"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    class Meta:
        verbose_name = _("look-back campaign")
        verbose_name_plural = _("look-back campaigns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=CampaignState.values), name="campaign_state"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignNode(models.Model):
    """One time node of the plan: from (optional) to its deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="nodes")
    kind = models.CharField(_("node"), max_length=20, choices=NodeKind.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("time node")
        verbose_name_plural = _("time nodes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="campaign_node_once"),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(starts_on__lte=models.F("ends_on")),
                name="campaign_node_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.get_kind_display()}"


class CampaignHousehold(models.Model):
    """A household of the campaign and the worker who visits it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="households")
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="campaign_entries"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visited by"),
    )

    class Meta:
        verbose_name = _("campaign household")
        verbose_name_plural = _("campaign households")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="campaign_household_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.household_id}"


class CampaignSignOff(TimeStampedModel):
    """A level's signature under the campaign's returns for its area."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sign_offs")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Who signs, as the plan names them (村书记、第一书记; 办事处; 区扶贫办).
    signer_name = models.CharField(_("signed by"), max_length=100)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "area"], name="campaign_sign_off_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.area}"
