"""Every flag code, its severity and what it means, in the user's language (docs/flags.md)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.flags.models import Severity

FLAGS: dict[str, tuple[str, Promise]] = {
    "income_below_line": (Severity.SERIOUS, _("Per-capita income below the monitoring line")),
    "house_unsafe": (Severity.SERIOUS, _("Grade C or D house without an accepted renovation")),
    "school_dropout": (Severity.SERIOUS, _("A school-age child is out of school")),
    "medical_care": (Severity.WARNING, _("Basic medical care not guaranteed")),
    "drinking_water": (Severity.WARNING, _("Drinking water not safe")),
    "food_clothing": (Severity.SERIOUS, _("Worry about food or clothing")),
    "visit_overdue": (Severity.WARNING, _("No visit within the project's cadence")),
}


def flag_label(code: str) -> str:
    """The flag's meaning in the active language (the code itself when unknown)."""
    entry = FLAGS.get(code)
    return str(entry[1]) if entry else code
