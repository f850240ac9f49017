import pytest

from backend.geo.boundaries import BoundaryError
from backend.geo.distance import distance_outside_m, haversine_m

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[106.7, 26.5], [106.71, 26.5], [106.71, 26.51], [106.7, 26.51], [106.7, 26.5]]
    ],
}


def test_haversine_known_distances():
    assert haversine_m(26.5, 106.7, 26.5, 106.7) == 0
    # One hundredth of a degree of latitude is about 1.11 km everywhere.
    assert haversine_m(26.5, 106.7, 26.51, 106.7) == pytest.approx(1111.95, abs=0.5)
    # Across the antimeridian and the equator, signs handled.
    assert haversine_m(-0.5, 179.99, 0.5, -179.99) == pytest.approx(111_217, rel=1e-3)


def test_distance_outside_a_village_boundary():
    assert distance_outside_m(SQUARE, 26.505, 106.705) == 0
    assert distance_outside_m(SQUARE, 26.52, 106.705) == pytest.approx(1112, abs=2)
    # East of the square at this latitude a hundredth of a degree is shorter (cos 26.5°).
    assert distance_outside_m(SQUARE, 26.505, 106.72) == pytest.approx(995, abs=2)


def test_broken_boundary_is_refused():
    with pytest.raises(BoundaryError):
        distance_outside_m({"type": "Point", "coordinates": [106.7, 26.5]}, 26.5, 106.7)
