"""Open an untrusted photo safely, then derive what the evidence checks need from it (pure).

One decode serves everything: JPEGs are decoded at a reduced scale ("draft" mode) just large
enough for the big thumbnail, so a 50-megapixel photo costs a fraction of its full size in memory.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, UnidentifiedImageError

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
        except PhotoError:
            raise  # already says why (a ValueError: not a damaged file)
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
    decoded = image.convert("RGB") if image.mode != "RGB" else image
    # Shrink first, then turn upright: rotating 1280 pixels is cheaper than rotating the decode,
    # and the bounding boxes are square, so the result is the same.
    large = _upright(_shrunk(decoded, LARGE), exif.orientation)
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
    """A copy that fits in side x side. `reducing_gap` first averages whole blocks of pixels
    (cheap), then resamples with LANCZOS from about twice the target size."""
    scale = min(side / image.width, side / image.height)
    if scale >= 1:
        return image.copy()
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _upright(image: Image.Image, orientation: int | None) -> Image.Image:
    method = _TRANSPOSE.get(orientation or 1)
    return image.transpose(method) if method is not None else image


# EXIF orientation -> the transposition that shows the picture upright (as ImageOps does).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _jpeg(image: Image.Image) -> bytes:
    # No `optimize`: its second pass over the Huffman tables costs more than the few per cent of
    # bytes it saves on a thumbnail.
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=_JPEG_QUALITY)
    return buffer.getvalue()
