"""A 64-bit perceptual hash (dHash) and the band index that finds near matches without a scan.

dHash (Neal Krawetz, "Kind of Like That", 2013): shrink the photo to 9x8 grey pixels and record,
row by row, whether each pixel is brighter than its left neighbour. Re-encoding, resizing and mild
colour changes keep most bits; a different scene changes about half of them. The distance between
two photos is the number of differing bits (Hamming distance).

Near matches are found by multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming
Space with Multi-Index Hashing", CVPR 2012): the hash is cut into BANDS bands of 16 bits, each
stored in its own indexed column. If two hashes differ in at most d bits, by the pigeonhole
principle at least one band differs in at most d // BANDS bits. So the candidates are the rows
whose band i equals one of the values within that radius of our band i, for some i; the true
distance is then checked on those few candidates.
"""

from itertools import combinations

from PIL import Image

BITS = 64
BANDS = 4
BAND_BITS = BITS // BANDS
_BAND_MASK = (1 << BAND_BITS) - 1
# A hash with fewer bits set than this comes from a nearly flat picture (a black frame, a wall):
# such pictures all look alike to dHash, so they take part in exact matching only.
MIN_INFORMATIVE_BITS = 4


def dhash(image: Image.Image) -> int:
    """Return the 64-bit difference hash of an image (orientation already applied)."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # one byte per grey pixel, row by row
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (right > left)
    return value


def distance(a: int, b: int) -> int:
    """Hamming distance between two hashes."""
    return (a ^ b).bit_count()


def informative(value: int) -> bool:
    """Whether a hash carries enough detail to be compared by distance."""
    return MIN_INFORMATIVE_BITS <= value.bit_count() <= BITS - MIN_INFORMATIVE_BITS


def bands(value: int) -> tuple[int, ...]:
    """Split a hash into its BANDS bands, most significant first."""
    return tuple((value >> (BAND_BITS * (BANDS - 1 - i))) & _BAND_MASK for i in range(BANDS))


def probes(band: int, radius: int) -> list[int]:
    """Every band value within `radius` bits of `band` (radius 0: the band itself)."""
    found = [band]
    for flips in range(1, radius + 1):
        for positions in combinations(range(BAND_BITS), flips):
            mask = sum(1 << p for p in positions)
            found.append(band ^ mask)
    return found


def band_radius(max_distance: int) -> int:
    """How far each band must be probed to find every hash within `max_distance`."""
    return max_distance // BANDS


def to_hex(value: int) -> str:
    return f"{value:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)
