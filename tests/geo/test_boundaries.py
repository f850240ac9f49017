import pytest

from backend.geo.boundaries import BoundaryError, boundary_from_geojson

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.7, 26.5], [106.8, 26.5], [106.8, 26.6], [106.7, 26.5]]],
}


def test_valid_polygon_is_returned_as_shapely():
    polygon = boundary_from_geojson(SQUARE)

    assert polygon.geom_type == "Polygon"
    assert polygon.bounds == (106.7, 26.5, 106.8, 26.6)


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, "Polygon or MultiPolygon"),
        ("not a dict", "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": "x"}, "malformed coordinates"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "invalid geometry: Self-intersection",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[26.5, 200], [26.6, 200], [26.6, 201], [26.5, 200]]],
            },
            "longitude, latitude",
        ),
        ({"type": "Polygon", "coordinates": []}, "empty"),
    ],
)
def test_unusable_geometry_is_refused_with_the_reason(geometry, reason):
    with pytest.raises(BoundaryError, match=reason):
        boundary_from_geojson(geometry)
