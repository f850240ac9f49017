"""Distances on the ground in metres (pure, no Django): between two points, and from a point to a
village boundary."""

import math
from typing import Any

import shapely
from shapely.geometry import Point

from backend.geo.boundaries import boundary_from_geojson

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS 84 points, in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_outside_m(boundary: Any, latitude: float, longitude: float) -> float:
    """How far a point lies outside a GeoJSON boundary, in metres (0 inside or on the edge).

    The boundary is projected onto a plane tangent at the point (equirectangular), which is exact
    to well under a metre at village scale, where these distances matter.
    """
    polygon = boundary_from_geojson(boundary)
    scale_x = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(latitude))
    scale_y = math.radians(1) * EARTH_RADIUS_M

    def to_metres(coords: Any) -> Any:
        out = coords.copy()
        out[:, 0] = (coords[:, 0] - longitude) * scale_x
        out[:, 1] = (coords[:, 1] - latitude) * scale_y
        return out

    projected = shapely.transform(polygon, to_metres)
    return float(projected.distance(Point(0.0, 0.0)))
