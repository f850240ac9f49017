"""Geopoints as ODK writes them: "lat lon altitude accuracy" (pure, no Django)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    altitude: float | None = None
    accuracy: float | None = None


def parse_geopoint(text: str) -> GeoPoint | None:
    """Read an ODK geopoint; None when it is blank or not a point on Earth."""
    parts = text.split()
    if len(parts) < 2:
        return None
    try:
        numbers = [float(part) for part in parts[:4]]
    except ValueError:
        return None
    if not all(math.isfinite(n) for n in numbers):
        return None
    latitude, longitude = numbers[0], numbers[1]
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    altitude = numbers[2] if len(numbers) > 2 else None
    accuracy = numbers[3] if len(numbers) > 3 else None
    return GeoPoint(latitude, longitude, altitude, accuracy)


# Seven decimals of a degree are about a centimetre; digits beyond them are float noise from
# arithmetic (106.70400000000001), never a position a phone measured.
COORDINATE_DECIMALS = 7


def coordinate_text(value: float) -> str:
    """A coordinate as ODK writes it: plain decimals, at most seven, no trailing zeros."""
    text = f"{value:.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
