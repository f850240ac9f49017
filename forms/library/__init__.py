"""The forms shipped with the server (field reference in README.md next to them)."""

from pathlib import Path

LIBRARY_DIR = Path(__file__).resolve().parent

# Publishing order matters: the registration form declares the household list the others read.
LIBRARY_FORMS = (
    "hh_registration.md",
    "hh_visit.md",
    "housing_inspection.md",
    "village_review.md",
)


def library_paths() -> list[Path]:
    """The shipped XLSForms, in publishing order."""
    return [LIBRARY_DIR / name for name in LIBRARY_FORMS]
