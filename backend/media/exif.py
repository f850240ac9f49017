"""Read what a phone camera wrote into a photo's EXIF block (pure: Pillow only, no Django).

Cameras disagree on details, so every reader is lenient: a missing, odd or broken tag gives None,
never an exception. Rationals arrive as Pillow's IFDRational, as (numerator, denominator) pairs or
as plain numbers; a zero denominator means "unknown".
"""

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PIL import Image

# Tag numbers from the EXIF 2.32 specification (CIPA DC-008).
_MAKE, _MODEL, _ORIENTATION, _DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET, _OFFSET_ORIGINAL, _OFFSET_DIGITIZED = 0x9010, 0x9011, 0x9012
_LAT_REF, _LAT, _LON_REF, _LON, _ALT_REF, _ALT = 1, 2, 3, 4, 5, 6

_DATETIME_RE = re.compile(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET_RE = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")


@dataclass(frozen=True)
class PhotoExif:
    """What the camera recorded. `taken_at` is aware when the photo carries its UTC offset and
    naive (the phone's local clock) when it does not."""

    taken_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    make: str = ""
    model: str = ""
    orientation: int | None = None

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def read_exif(image: Image.Image) -> PhotoExif:
    """Return the photo's time, position, camera and orientation; empty when unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of corrupt blocks; we report them empty
            exif = image.getexif()
            main: Mapping[int, Any] = dict(exif)
            details: Mapping[int, Any] = dict(exif.get_ifd(_EXIF_IFD))
            gps: Mapping[int, Any] = dict(exif.get_ifd(_GPS_IFD))
    except Exception:  # a broken EXIF block is a fact about the photo, not an error
        return PhotoExif()
    latitude, longitude = _position(gps)
    return PhotoExif(
        taken_at=_taken_at(main, details),
        latitude=latitude,
        longitude=longitude,
        altitude=_altitude(gps),
        make=_text(main.get(_MAKE)),
        model=_text(main.get(_MODEL)),
        orientation=_orientation(main.get(_ORIENTATION)),
    )


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value.replace("\x00", "").strip()[:100] if isinstance(value, str) else ""


def _orientation(value: Any) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _taken_at(main: Mapping[int, Any], details: Mapping[int, Any]) -> datetime | None:
    """DateTimeOriginal with its offset, else DateTimeDigitized, else the file's DateTime."""
    for time_tag, offset_tag, source in (
        (_DATETIME_ORIGINAL, _OFFSET_ORIGINAL, details),
        (_DATETIME_DIGITIZED, _OFFSET_DIGITIZED, details),
        (_DATETIME, _OFFSET, main),
    ):
        moment = parse_exif_datetime(_text(source.get(time_tag)), _text(details.get(offset_tag)))
        if moment is not None:
            return moment
    return None


def parse_exif_datetime(text: str, offset: str = "") -> datetime | None:
    """Read "YYYY:MM:DD HH:MM:SS" (and "+HH:MM"); None for blanks such as "0000:00:00 ..."."""
    match = _DATETIME_RE.match(text)
    if not match:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=_offset(offset))
    except ValueError:
        return None


def _offset(text: str) -> timezone | None:
    match = _OFFSET_RE.match(text)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta) if delta else UTC


def _number(value: Any) -> float | None:
    """A rational in any of the shapes cameras write, as a float; None when undefined."""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        numerator, denominator = value
        return numerator / denominator if denominator else None
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _degrees(value: Any) -> float | None:
    """Degrees, minutes, seconds (or fewer parts) to decimal degrees."""
    parts = value if isinstance(value, tuple | list) else (value,)
    if not parts or len(parts) > 3:
        return None
    # A single (numerator, denominator) pair is one number, not degrees and minutes.
    if len(parts) == 2 and all(isinstance(v, int) for v in parts):
        parts = (value,)
    numbers = [n for n in map(_number, parts) if n is not None and n >= 0]
    if len(numbers) != len(parts):
        return None
    return sum(n / 60.0**i for i, n in enumerate(numbers))


def _position(gps: Mapping[int, Any]) -> tuple[float | None, float | None]:
    latitude, longitude = _degrees(gps.get(_LAT)), _degrees(gps.get(_LON))
    if latitude is None or longitude is None or latitude > 90 or longitude > 180:
        return None, None
    if _text(gps.get(_LAT_REF)).upper().startswith("S"):
        latitude = -latitude
    if _text(gps.get(_LON_REF)).upper().startswith("W"):
        longitude = -longitude
    # 0,0 is where cameras put a position they never had ("Null Island").
    if latitude == 0 and longitude == 0:
        return None, None
    return latitude, longitude


def _altitude(gps: Mapping[int, Any]) -> float | None:
    altitude = _number(gps.get(_ALT))
    if altitude is None:
        return None
    reference = gps.get(_ALT_REF)
    below = reference in (1, b"\x01", "1")
    return -altitude if below else altitude
