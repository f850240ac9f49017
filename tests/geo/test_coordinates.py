"""Coordinates the server writes itself are as a phone writes them: no float noise."""

import pytest

from backend.geo.points import coordinate_text, parse_geopoint


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (106.70400000000001, "106.704"),
        (106.7 + 0.004, "106.704"),
        (26.5, "26.5"),
        (106.0, "106"),
        (1e-05, "0.00001"),
        (-0.0, "0"),
        (-26.12345678, "-26.1234568"),
    ],
)
def test_coordinates_are_plain_decimals_of_at_most_seven_places(value, text):
    assert coordinate_text(value) == text


def test_a_written_coordinate_reads_back_within_a_centimetre():
    point = parse_geopoint(f"{coordinate_text(26.503000000000004)} {coordinate_text(106.704)}")

    assert point is not None
    assert abs(point.latitude - 26.503) < 1e-7
