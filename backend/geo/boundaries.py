"""Village boundaries as GeoJSON polygons: parse and validate them (pure, no Django)."""

from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

_AREA_TYPES = {"Polygon", "MultiPolygon"}


class BoundaryError(ValueError):
    """The GeoJSON is not a usable boundary; the message says why."""


def boundary_from_geojson(geometry: Any) -> BaseGeometry:
    """Return the shapely polygon of a GeoJSON geometry, or raise BoundaryError."""
    if not isinstance(geometry, dict) or geometry.get("type") not in _AREA_TYPES:
        raise BoundaryError("a boundary must be a GeoJSON Polygon or MultiPolygon")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise BoundaryError(f"malformed coordinates: {exc}") from None
    if polygon.is_empty:
        raise BoundaryError("the boundary is empty")
    if not polygon.is_valid:
        raise BoundaryError(f"invalid geometry: {explain_validity(polygon)}")
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise BoundaryError("coordinates must be longitude, latitude in degrees (WGS 84)")
    return polygon
