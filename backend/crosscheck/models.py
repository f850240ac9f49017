from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel
from backend.crosscheck.departments import DEPARTMENT_CHOICES


class MemberStatus(models.TextChoices):
    PRESENT = "present", _("In the household")
    MOVED_OUT = "moved_out", _("Moved out")
    DIED = "died", _("Died")


class Member(models.Model):
    """A member of a household as its registration listed them. The ID number is kept only as
    its keyed hash (backend/crosscheck/keys.py): enough to find the member in a department's
    file, useless to anyone without the server's key."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="members"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    relation = models.CharField(_("relationship"), max_length=40, blank=True, default="")
    birth = models.DateField(_("date of birth"), null=True, blank=True)
    id_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PRESENT
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listed by"),
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "position"]
        constraints = [
            models.UniqueConstraint(fields=["household", "position"], name="member_position"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.position}"


class DepartmentTemplate(TimeStampedModel):
    """How one department's files are read: which column holds the ID number, which column each
    fact (backend/crosscheck/departments.py), and how the file writes yes and no. Saved once,
    used for every file of that department."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="department_templates"
    )
    department = models.CharField(_("department"), max_length=20, choices=DEPARTMENT_CHOICES)
    name = models.CharField(_("name"), max_length=100)
    id_column = models.CharField(_("column of the ID number"), max_length=100)
    # {fact name: column title}
    columns = models.JSONField(_("columns of the facts"), default=dict)
    yes_values = models.JSONField(_("values meaning yes"), default=list, blank=True)
    no_values = models.JSONField(_("values meaning no"), default=list, blank=True)

    class Meta:
        verbose_name = _("department file template")
        verbose_name_plural = _("department file templates")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="department_template_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportState(models.TextChoices):
    READING = "reading", _("Being read")
    DONE = "done", _("Read")
    REFUSED = "refused", _("Refused")


class DepartmentImport(TimeStampedModel):
    """One department file and what reading it found. The file itself is deleted once read."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="department_imports"
    )
    template = models.ForeignKey(
        DepartmentTemplate, on_delete=models.SET_NULL, null=True, related_name="imports"
    )
    department = models.CharField(_("department"), max_length=20, choices=DEPARTMENT_CHOICES)
    file_name = models.CharField(_("file"), max_length=255)
    data_date = models.DateField(_("date of the records"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    matched_rows = models.PositiveIntegerField(_("rows matched"), default=0)
    matched_households = models.PositiveIntegerField(_("households matched"), default=0)
    absent_members = models.PositiveIntegerField(
        _("matches of members moved out or died"), default=0
    )
    bad_rows = models.PositiveIntegerField(_("rows refused"), default=0)
    # Once read, the rules run on the households the file changed and the cases their flags ask
    # for open (backend/pipeline/departments.py): how many households, flags and cases, and when.
    checked_households = models.PositiveIntegerField(_("households checked"), default=0)
    flags_opened = models.PositiveIntegerField(_("flags raised"), default=0)
    cases_opened = models.PositiveIntegerField(_("cases opened"), default=0)
    checked_at = models.DateTimeField(_("rules run on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=ImportState.choices, default=ImportState.READING
    )
    refusal = models.CharField(_("why it was refused"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("department file")
        verbose_name_plural = _("department files")
        ordering = ["-data_date", "-pk"]
        indexes = [models.Index(fields=["project", "department", "-data_date"])]

    def __str__(self) -> str:
        return self.file_name


class DepartmentFact(models.Model):
    """A fact a department's file gives about a member of a household."""

    source = models.ForeignKey(DepartmentImport, on_delete=models.CASCADE, related_name="facts")
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="department_facts"
    )
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    fact = models.CharField(max_length=40)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["household", "source"])]

    def __str__(self) -> str:
        return f"{self.fact}: {self.value}"


class RowProblem(models.Model):
    """A row of a department file that could not be read: its number and why (never its ID)."""

    source = models.ForeignKey(DepartmentImport, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField()
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["source", "row"]

    def __str__(self) -> str:
        return f"{self.row}: {self.message}"
