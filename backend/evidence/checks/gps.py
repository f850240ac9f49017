"""Checks of the visit's GPS point against the form, the village and the household."""

from backend.evidence.context import Visit
from backend.flags.services import Finding
from backend.geo.boundaries import BoundaryError
from backend.geo.distance import distance_outside_m, haversine_m


def gps_missing(visit: Visit) -> list[Finding]:
    """The form asks where the visit happened and the answer is blank."""
    if not visit.point_field or visit.point is not None or visit.point_text is None:
        return []
    return [Finding("gps_missing", visit.subject(), {"field": visit.point_field})]


def gps_low_accuracy(visit: Visit) -> list[Finding]:
    limit = visit.project.gps_accuracy_max_m
    if visit.point is None or visit.point.accuracy is None or visit.point.accuracy <= limit:
        return []
    evidence = {"field": visit.point_field, "accuracy_m": round(visit.point.accuracy, 1)}
    return [Finding("gps_low_accuracy", visit.subject(), {**evidence, "limit_m": limit})]


def gps_outside_village(visit: Visit) -> list[Finding]:
    household, point = visit.household, visit.point
    if household is None or point is None or not household.village.boundary:
        return []
    try:
        outside = distance_outside_m(household.village.boundary, point.latitude, point.longitude)
    except BoundaryError:
        return []  # a broken boundary is the area import's problem, not this visit's
    limit = visit.project.village_tolerance_m
    if outside <= limit:
        return []
    evidence = {
        "field": visit.point_field,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "village": household.village.code,
        "distance_m": round(outside),
        "limit_m": limit,
    }
    return [Finding("gps_outside_village", visit.subject(), evidence)]


def gps_far_from_household(visit: Visit) -> list[Finding]:
    household, point = visit.household, visit.point
    if household is None or point is None or household.latitude is None:
        return []
    if household.longitude is None:
        return []
    distance = haversine_m(point.latitude, point.longitude, household.latitude, household.longitude)
    limit = visit.project.household_distance_max_m
    if distance <= limit:
        return []
    evidence = {
        "field": visit.point_field,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "household_latitude": household.latitude,
        "household_longitude": household.longitude,
        "distance_m": round(distance),
        "limit_m": limit,
    }
    return [Finding("gps_far_from_household", visit.subject(), evidence)]
