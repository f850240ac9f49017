"""Is a photo a photo? Decode it safely (Pillow's decompression-bomb limit stays on)."""

import warnings
from typing import IO

from PIL import Image, UnidentifiedImageError

# About 90 megapixels: well above a phone camera, far below a bomb.
MAX_PIXELS = 90_000_000


def image_problem(stream: IO[bytes]) -> str:
    """Return "" if the stream decodes as an image, else why not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                if image.width * image.height > MAX_PIXELS:
                    return f"image too large: {image.width}x{image.height} pixels"
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "decompression bomb"
    except UnidentifiedImageError:
        return "not an image"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"damaged image: {exc}"[:255]
    return ""
