import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from backend.media.exif import parse_exif_datetime, read_exif
from tests.media.photos import exif_block, jpeg_bytes, photo, picture

TAKEN = datetime(2026, 11, 23, 10, 5, 0)  # noqa: DTZ001  EXIF clocks are naive


def exif_of(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        return read_exif(image)


def test_reads_time_with_offset_position_altitude_camera_and_orientation():
    exif = exif_of(photo(taken=TAKEN, lat=26.5071, lon=106.7095, alt=1021.5, orientation=6))
    assert exif.taken_at == datetime(2026, 11, 23, 10, 5, tzinfo=timezone(timedelta(hours=8)))
    assert exif.latitude == pytest.approx(26.5071, abs=1e-6)
    assert exif.longitude == pytest.approx(106.7095, abs=1e-6)
    assert exif.altitude == pytest.approx(1021.5)
    assert (exif.make, exif.model, exif.orientation) == ("Xiaomi", "Redmi Note 12", 6)
    assert exif.has_position


def test_southern_and_western_hemispheres_are_negative():
    exif = exif_of(photo(taken=TAKEN, lat=-33.8688, lon=-70.6693, alt=-12.0))
    assert exif.latitude == pytest.approx(-33.8688, abs=1e-6)
    assert exif.longitude == pytest.approx(-70.6693, abs=1e-6)
    assert exif.altitude == pytest.approx(-12.0)


def test_time_without_offset_stays_naive():
    exif = exif_of(photo(taken=TAKEN, offset=None))
    assert exif.taken_at == TAKEN
    assert exif.taken_at.tzinfo is None


def test_photo_without_exif_has_nothing():
    exif = exif_of(photo())
    assert exif.taken_at is None
    assert not exif.has_position
    assert (exif.make, exif.orientation) == ("", None)


def test_odd_rationals_zero_denominators_and_null_island():
    # Minutes with a zero denominator (an undefined rational): no position, not a crash.
    zero = (IFDRational(26, 1), IFDRational(30, 0), IFDRational(0, 1))
    broken = exif_of(photo(gps={1: "N", 2: zero, 3: "E", 4: (IFDRational(106, 1),)}))
    assert not broken.has_position
    # Decimal degrees as a single rational, and seconds as a fraction, as some cameras write.
    odd = (IFDRational(26, 1), IFDRational(3001, 100), IFDRational(0, 1))
    single = exif_of(photo(gps={1: "N", 2: odd, 3: "E", 4: IFDRational(21351, 200)}))
    assert single.latitude == pytest.approx(26 + 30.01 / 60)
    assert single.longitude == pytest.approx(106.755)
    # 0,0 is what cameras write for "no fix".
    assert not exif_of(photo(lat=0.0, lon=0.0)).has_position


def test_blank_or_odd_datetimes():
    assert parse_exif_datetime("0000:00:00 00:00:00") is None
    assert parse_exif_datetime("    ") is None
    assert parse_exif_datetime("2026-11-23 10:05:00", "+0000") == datetime(
        2026, 11, 23, 10, 5, tzinfo=UTC
    )
    assert parse_exif_datetime("2026:11:23 10:05:00", "-05:30").utcoffset() == timedelta(
        hours=-5, minutes=-30
    )
    assert parse_exif_datetime("2026:11:23 10:05:00", "garbage").tzinfo is None


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_corrupt_exif_block_reads_as_empty():
    good = jpeg_bytes(picture(3), exif_block(taken=TAKEN, lat=26.5, lon=106.7))
    marker = good.index(b"Exif\x00\x00")
    # Keep the APP1 header but scramble the TIFF structure after it.
    corrupt = good[: marker + 6] + b"MM\x00\x2a\xff\xff\xff\xff" + good[marker + 14 :]
    exif = exif_of(corrupt)
    assert exif.taken_at is None
    assert not exif.has_position
