from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


class Project(TimeStampedModel):
    """A survey programme: its forms, field workers and households. ODK Collect connects to one."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Shown in ODK Collect's project switcher (settings QR code).
    color = models.CharField(_("colour"), max_length=7, default="#2e7d32")
    icon = models.CharField(_("icon"), max_length=2, blank=True)
    # Monitoring settings admins edit; the rules read them, nothing is a constant in code.
    monitoring_line = models.DecimalField(
        _("monitoring line (yuan per person per year)"),
        max_digits=10,
        decimal_places=2,
        default=6000,
        help_text=_("Households with a per-capita net income below this are flagged."),
    )
    household_creation_needs_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_("A registered household joins the list only when a supervisor approves it."),
    )
    visit_cadence_days = models.PositiveIntegerField(
        _("visit cadence (days)"),
        default=180,
        help_text=_("A household not visited for this long is overdue."),
    )
    # The dangerous-house renovation area standard (work plan 001, quoted under `reno_area` in
    # docs/households.md): at least reno_min_1/2/3 m² for households of 1/2/3 persons and
    # reno_min_per_person m² each above that; at most reno_max_small m² up to 3 persons and
    # reno_max_per_person m² each above; a last-resort household (dibao, extremely poor) builds
    # at the minimum.
    reno_min_1 = models.PositiveSmallIntegerField(
        _("renovation minimum, 1 person (m²)"), default=20
    )
    reno_min_2 = models.PositiveSmallIntegerField(
        _("renovation minimum, 2 persons (m²)"), default=30
    )
    reno_min_3 = models.PositiveSmallIntegerField(
        _("renovation minimum, 3 persons (m²)"), default=40
    )
    reno_min_per_person = models.PositiveSmallIntegerField(
        _("renovation minimum per person above 3 (m²)"), default=13
    )
    reno_max_small = models.PositiveSmallIntegerField(
        _("renovation maximum up to 3 persons (m²)"), default=60
    )
    reno_max_per_person = models.PositiveSmallIntegerField(
        _("renovation maximum per person above 3 (m²)"), default=18
    )
    # Evidence checks (docs/evidence.md): what counts as suspicious is the project's decision.
    gps_accuracy_max_m = models.PositiveIntegerField(
        _("worst acceptable GPS accuracy (m)"),
        default=50,
        help_text=_("A visit point with a worse accuracy is flagged."),
    )
    village_tolerance_m = models.PositiveIntegerField(
        _("village boundary tolerance (m)"),
        default=200,
        help_text=_("A visit point farther than this outside the village boundary is flagged."),
    )
    household_distance_max_m = models.PositiveIntegerField(
        _("largest distance from the household (m)"),
        default=300,
        help_text=_("A visit point farther than this from the household's location is flagged."),
    )
    photo_distance_max_m = models.PositiveIntegerField(
        _("largest distance of a photo from the visit point (m)"),
        default=300,
        help_text=_("A photo whose camera position is farther than this is flagged."),
    )
    photo_time_margin_minutes = models.PositiveIntegerField(
        _("photo time margin (minutes)"),
        default=60,
        help_text=_(
            "A photo taken this long before the visit started or after it ended is flagged."
        ),
    )
    photo_hash_distance_max = models.PositiveSmallIntegerField(
        _("near-duplicate photo distance (bits)"),
        default=4,
        validators=[MaxValueValidator(11)],
        help_text=_(
            "Photos whose perceptual hashes differ in at most this many of 64 bits count as the "
            "same picture (0 to 11)."
        ),
    )
    visit_min_minutes = models.PositiveIntegerField(
        _("shortest plausible visit (minutes)"),
        default=5,
        help_text=_("A visit whose form was open for less time is flagged."),
    )
    travel_speed_max_kmh = models.PositiveIntegerField(
        _("fastest plausible travel (km/h)"),
        default=120,
        help_text=_("Two visits by one worker or phone implying a faster trip are flagged."),
    )
    clock_skew_max_minutes = models.PositiveIntegerField(
        _("phone clock tolerance (minutes)"),
        default=10,
        help_text=_("A visit that ends this long after the server received it is flagged."),
    )
    submission_delay_max_days = models.PositiveIntegerField(
        _("longest plausible sending delay (days)"),
        default=30,
        help_text=_("A visit received this long after it ended is flagged."),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def renovation_area_range(self, persons: int, *, last_resort: bool) -> tuple[int, int]:
        """The smallest and largest floor area (m²) a renovated house of `persons` may have."""
        if persons <= 3:
            smallest = (self.reno_min_1, self.reno_min_1, self.reno_min_2, self.reno_min_3)
            minimum, maximum = smallest[max(persons, 0)], self.reno_max_small
        else:
            minimum, maximum = (
                self.reno_min_per_person * persons,
                self.reno_max_per_person * persons,
            )
        return minimum, minimum if last_resort else maximum


class Role(models.TextChoices):
    ADMIN = "admin", _("Project admin")
    SUPERVISOR = "supervisor", _("Supervisor")
    COLLECTOR = "collector", _("Field worker")
    # Staff of a line department (education, health insurance, housing...): they see and work
    # only the rectification items handed to their department (backend/casework/access.py), and
    # nothing else of the project.
    DEPARTMENT = "department", _("Department staff")


class Department(models.TextChoices):
    """The line departments problems are handed to (seed 001: 发往各相关责任部门; seed 004:
    责任单位:市农业局…教育局…医保局…住建局). The codes of backend/crosscheck/departments.py
    name the same departments the same way."""

    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health insurance")
    MEDICAL = "medical", _("Health commission (clinics)")
    HOUSING = "housing", _("Housing")
    WATER = "water", _("Water resources")
    TRANSPORT = "transport", _("Transport (roads)")
    CIVIL = "civil", _("Civil affairs")
    HR = "hr", _("Human resources and social security")
    AGRICULTURE = "agriculture", _("Agriculture")
    DISABLED = "disabled", _("Disabled persons' federation")


class Membership(TimeStampedModel):
    """What a user may do in a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # Where this person works: villages, or a township or county for all its villages. Empty means
    # the whole project for supervisors and admins, and only their own households for workers.
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="memberships", verbose_name=_("areas")
    )
    # For department staff: their department (empty for everyone else).
    department = models.CharField(
        _("department"), max_length=16, choices=Department.choices, blank=True
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
            # Department staff belong to a department; nobody else does.
            models.CheckConstraint(
                condition=(models.Q(role="department") & ~models.Q(department=""))
                | (~models.Q(role="department") & models.Q(department="")),
                name="membership_department_staff",
            ),
        ]

    def clean(self) -> None:
        if (self.role == Role.DEPARTMENT) != bool(self.department):
            raise ValidationError(
                {"department": _("Department staff have a department; nobody else has one.")}
            )

    def __str__(self) -> str:
        return f"{self.user} @ {self.project} ({self.role})"
