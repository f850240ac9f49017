from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.flags.models import Severity
from backend.monitoring.conditions import ConditionError, check
from backend.monitoring.library import BY_CODE


class IncomeLine(models.Model):
    """The monitoring line of one year, for the whole project or one area (a township or
    village whose line differs): an income is judged against the line of its own year."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="income_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="income_lines",
        help_text=_("Empty: the whole project."),
    )
    amount = models.DecimalField(
        _("line (yuan per person per year)"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("income line")
        verbose_name_plural = _("income lines")
        ordering = ["project", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "area"], name="income_line_unique_area"
            ),
            models.UniqueConstraint(
                fields=["project", "year"],
                condition=models.Q(area__isnull=True),
                name="income_line_unique_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class MonitoringRule(models.Model):
    """A project's own version of a rule of the library (backend/monitoring/library.py): turned
    off, or with other thresholds, severity or condition. Rules without a row run as shipped."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="monitoring_rules"
    )
    code = models.CharField(_("code"), max_length=40)
    active = models.BooleanField(_("active"), default=True)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, blank=True, default=""
    )
    params = models.JSONField(_("thresholds"), default=dict, blank=True)
    condition = models.JSONField(
        _("condition"), null=True, blank=True, help_text=_("Empty: the library's condition.")
    )

    class Meta:
        verbose_name = _("monitoring rule")
        verbose_name_plural = _("monitoring rules")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="monitoring_rule_unique")
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        """A rule of the library, with a condition written in the rules' language: an admin's
        mistake is refused on the form, never met by the next merge."""
        if self.code not in BY_CODE:
            raise ValidationError({"code": _("There is no rule with this code.")})
        if self.condition is not None:
            try:
                check(self.condition)
            except ConditionError as exc:
                raise ValidationError({"condition": str(exc)}) from None
