import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.flags.catalogue import FLAGS
from backend.flags.models import Severity
from backend.monitoring.conditions import ConditionError, check
from backend.monitoring.library import BY_CODE
from backend.monitoring.sentences import sentence_problems

StrOrPromise = str | Promise


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
    """A rule as the project runs it. With the code of a rule of the library
    (backend/monitoring/library.py): that rule turned off, or with other thresholds, severity,
    condition, label or sentence; rules without a row run as shipped. With a code of its own: a
    rule the project adds, whose condition, label and sentence the row holds."""

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
    label_zh = models.CharField(_("label (Chinese)"), max_length=200, blank=True, default="")
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True, default="")
    # The sentence a supervisor reads on the flag: {name} shows a fact, threshold or line the
    # condition read (backend/monitoring/sentences.py).
    sentence_zh = models.TextField(
        _("sentence (Chinese)"),
        blank=True,
        default="",
        help_text=_("{name} shows a number the condition read, e.g. {income_per_capita}."),
    )
    sentence_en = models.TextField(_("sentence (English)"), blank=True, default="")

    class Meta:
        verbose_name = _("monitoring rule")
        verbose_name_plural = _("monitoring rules")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="monitoring_rule_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def own(self) -> bool:
        """A rule the project added, not one of the library."""
        return self.code not in BY_CODE

    def clean(self) -> None:
        """A known code or a new one with its condition and words, a condition written in the
        rules' language, sentences that show only what the condition reads: an admin's mistake
        is refused on the form, never met by the next merge."""
        errors: dict[str, list[StrOrPromise]] = {}
        if self.own:
            errors.update(self._own_problems())
        condition = self.condition if self.condition is not None else _library_condition(self)
        if self.condition is not None:
            try:
                check(self.condition)
            except ConditionError as exc:
                errors.setdefault("condition", []).append(str(exc))
        for name in ("sentence_zh", "sentence_en"):
            problems = sentence_problems(getattr(self, name), condition, self.params)
            if problems:
                errors.setdefault(name, []).extend(problems)
        if errors:
            raise ValidationError(errors)

    def _own_problems(self) -> dict[str, list[StrOrPromise]]:
        errors: dict[str, list[StrOrPromise]] = {}
        if not _CODE.fullmatch(self.code):
            errors["code"] = [_("A code is lower-case letters, digits and underscores.")]
        elif self.code in FLAGS:
            errors["code"] = [_("This code belongs to a check of the registry.")]
        required = {
            "condition": self.condition is None,
            "severity": not self.severity,
            "label_zh": not self.label_zh.strip(),
            "label_en": not self.label_en.strip(),
        }
        for name, missing in required.items():
            if missing:
                errors[name] = [_("A rule of the project's own needs this.")]
        return errors


_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")


def _library_condition(rule: MonitoringRule) -> dict | None:
    spec = BY_CODE.get(rule.code)
    return spec.condition if spec else None
