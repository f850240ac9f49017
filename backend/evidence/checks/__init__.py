"""The evidence checks, in the order they run. Each reads a Visit and returns its findings."""

from collections.abc import Callable

from backend.evidence.checks.duplicates import before_after_same, photo_duplicate
from backend.evidence.checks.gps import (
    gps_far_from_household,
    gps_low_accuracy,
    gps_missing,
    gps_outside_village,
)
from backend.evidence.checks.photos import (
    photo_gps_far,
    photo_no_exif,
    photo_not_image,
    photo_time_outside_visit,
)
from backend.evidence.checks.timing import device_time_skew, impossible_travel, visit_too_short
from backend.evidence.context import Visit
from backend.flags.services import Finding

Check = Callable[[Visit], list[Finding]]

CHECKS: dict[str, Check] = {
    "gps_missing": gps_missing,
    "gps_low_accuracy": gps_low_accuracy,
    "gps_outside_village": gps_outside_village,
    "gps_far_from_household": gps_far_from_household,
    "photo_not_image": photo_not_image,
    "photo_no_exif": photo_no_exif,
    "photo_gps_far": photo_gps_far,
    "photo_time_outside_visit": photo_time_outside_visit,
    "photo_duplicate": photo_duplicate,
    "before_after_same": before_after_same,
    "visit_too_short": visit_too_short,
    "device_time_skew": device_time_skew,
    "impossible_travel": impossible_travel,
}
