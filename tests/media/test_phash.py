import io
import random

from PIL import Image

from backend.media import phash
from tests.media.photos import jpeg_bytes, picture


def hash_of(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        return phash.dhash(image)


def test_reencoded_and_resized_copy_is_near_and_other_picture_is_far():
    original = hash_of(jpeg_bytes(picture(7, (1600, 1200)), quality=92))
    copy = hash_of(jpeg_bytes(picture(7, (1600, 1200)).resize((640, 480)), quality=60))
    other = hash_of(jpeg_bytes(picture(8, (1600, 1200))))
    assert phash.distance(original, copy) <= 4
    assert phash.distance(original, other) > 12


def test_flat_pictures_are_not_informative():
    flat = hash_of(jpeg_bytes(Image.new("RGB", (100, 100), (30, 30, 30))))
    assert not phash.informative(flat)
    assert phash.informative(hash_of(jpeg_bytes(picture(1))))


def test_hex_and_bands_round_trip():
    value = 0x0123_4567_89AB_CDEF
    assert phash.from_hex(phash.to_hex(value)) == value
    assert phash.bands(value) == (0x0123, 0x4567, 0x89AB, 0xCDEF)


def test_probes_cover_the_radius():
    assert phash.probes(0, 0) == [0]
    one = phash.probes(0, 1)
    assert len(one) == 17
    assert all(v.bit_count() <= 1 for v in one)
    assert len(phash.probes(0, 2)) == 1 + 16 + 120


def test_every_hash_within_the_distance_shares_a_probed_band():
    """The pigeonhole guarantee behind the index: no near match is ever missed."""
    rng = random.Random(42)
    for max_distance in range(12):
        radius = phash.band_radius(max_distance)
        for _ in range(200):
            value = rng.getrandbits(64)
            flips = rng.sample(range(64), rng.randint(0, max_distance))
            other = value ^ sum(1 << bit for bit in flips)
            assert phash.distance(value, other) <= max_distance
            assert any(
                b in phash.probes(a, radius)
                for a, b in zip(phash.bands(value), phash.bands(other), strict=True)
            )
