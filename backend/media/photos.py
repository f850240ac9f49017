"""Open an untrusted photo safely, then derive what the evidence checks need from it (pure).

One decode serves everything: JPEGs are decoded at a reduced scale ("draft" mode) just large
enough for the big thumbnail, so a 50-megapixel photo costs a fraction of its full size in memory.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.media.exif import PhotoExif, read_exif
from backend.media.phash import dhash

# About 90 megapixels: well above any phone camera, far below a decompression bomb.
MAX_PIXELS = 90_000_000
SMALL, LARGE = 320, 1280
_JPEG_QUALITY = 82


class PhotoError(ValueError):
    """The file is not a usable photo; the message says why (stored as the evidence)."""


@dataclass(frozen=True)
class PhotoFacts:
    width: int
    height: int
    format: str
    exif: PhotoExif
    phash: int
    thumb_small: bytes
    thumb_large: bytes


def inspect_photo(stream: IO[bytes]) -> PhotoFacts:
    """Decode a photo once: its size, EXIF, perceptual hash and two JPEG thumbnails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(stream) as image:
                return _facts(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError("decompression bomb") from None
        except UnidentifiedImageError:
            raise PhotoError("not an image") from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise PhotoError(f"damaged image: {exc}"[:255]) from None


def _facts(image: Image.Image) -> PhotoFacts:
    width, height, kind = image.width, image.height, image.format or ""
    if width * height > MAX_PIXELS:
        raise PhotoError(f"image too large: {width}x{height} pixels")
    exif = read_exif(image)
    image.draft("RGB", (LARGE, LARGE))
    upright = ImageOps.exif_transpose(image.convert("RGB") if image.mode != "RGB" else image)
    large = _shrunk(upright, LARGE)
    small = _shrunk(large, SMALL)
    return PhotoFacts(
        width=width,
        height=height,
        format=kind,
        exif=exif,
        phash=dhash(small),
        thumb_small=_jpeg(small),
        thumb_large=_jpeg(large),
    )


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
