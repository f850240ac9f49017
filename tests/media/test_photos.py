import io

import pytest
from PIL import Image

from backend.media.photos import LARGE, SMALL, PhotoError, inspect_photo
from tests.media.photos import exif_block, jpeg_bytes, photo, picture


def test_thumbnails_are_small_and_large_jpegs():
    facts = inspect_photo(io.BytesIO(photo(1, size=(4000, 3000))))
    assert (facts.width, facts.height, facts.format) == (4000, 3000, "JPEG")
    for data, side in ((facts.thumb_small, SMALL), (facts.thumb_large, LARGE)):
        with Image.open(io.BytesIO(data)) as thumb:
            assert thumb.format == "JPEG"
            assert max(thumb.size) == side
            assert thumb.size[0] > thumb.size[1]


def test_orientation_is_applied_to_thumbnails():
    # A phone held upright stores a landscape sensor image with orientation 6 (rotate 90° CW).
    facts = inspect_photo(io.BytesIO(photo(2, size=(800, 600), orientation=6)))
    assert facts.exif.orientation == 6
    with Image.open(io.BytesIO(facts.thumb_large)) as thumb:
        assert thumb.size == (600, 800)


def test_rotated_copy_has_the_same_perceptual_hash():
    upright = picture(5, (600, 800))
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # stored sideways, tagged 6
    a = inspect_photo(io.BytesIO(jpeg_bytes(upright)))
    b = inspect_photo(io.BytesIO(jpeg_bytes(sideways, exif_block(orientation=6))))
    assert bin(a.phash ^ b.phash).count("1") <= 2


def test_not_an_image():
    with pytest.raises(PhotoError, match="not an image"):
        inspect_photo(io.BytesIO(b"this is not a photo at all"))


def test_truncated_jpeg_is_damaged():
    data = photo(3)
    with pytest.raises(PhotoError, match="damaged image"):
        inspect_photo(io.BytesIO(data[: len(data) // 3]))


def test_huge_dimensions_are_refused_before_decoding():
    # A PNG that claims 20000 x 20000 pixels compresses to a few kilobytes: a bomb.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(PhotoError, match=r"decompression bomb|too large"):
        inspect_photo(io.BytesIO(buffer.getvalue()))
