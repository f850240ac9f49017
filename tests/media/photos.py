"""Real JPEGs with real EXIF, made with Pillow the way a phone camera writes them."""

import io
import random
from datetime import datetime

from PIL import ExifTags, Image, ImageDraw


def picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture with structure (random blocks), so perceptual hashes tell pictures apart."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(24):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(20, size[0] // 2), rng.randrange(20, size[1] // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + w, y + h), fill=colour)
    return image


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return float(degrees), float(minutes), round((minutes_full - minutes) * 60, 4)


def exif_block(
    *,
    taken: datetime | None = None,
    offset: str | None = "+08:00",
    lat: float | None = None,
    lon: float | None = None,
    alt: float | None = None,
    orientation: int | None = None,
    make: str = "Xiaomi",
    model: str = "Redmi Note 12",
    gps: dict | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = make, model
    if orientation:
        exif[0x0112] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken is not None:
        details[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            details[0x9011] = offset
    location = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if lat is not None and lon is not None:
        location.update(
            {
                1: "S" if lat < 0 else "N",
                2: dms(abs(lat)),
                3: "W" if lon < 0 else "E",
                4: dms(abs(lon)),
            }
        )
    if alt is not None:
        location.update({5: b"\x01" if alt < 0 else b"\x00", 6: abs(alt)})
    if gps:
        location.update(gps)
    return exif


def jpeg_bytes(image: Image.Image, exif: Image.Exif | None = None, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    if exif is not None:
        image.save(buffer, format="JPEG", quality=quality, exif=exif)
    else:
        image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def photo(seed: int = 1, *, size=(640, 480), quality: int = 90, **exif) -> bytes:
    """A camera photo: a picture from `seed` and EXIF from the keyword arguments (none if none)."""
    return jpeg_bytes(picture(seed, size), exif_block(**exif) if exif else None, quality)
