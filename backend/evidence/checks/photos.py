"""Checks of each photo on its own: does it decode, what did the camera record, where and when."""

from datetime import timedelta

from backend.evidence.context import Visit
from backend.flags.services import Finding
from backend.geo.distance import haversine_m


def photo_not_image(visit: Visit) -> list[Finding]:
    """A file answering an image question that does not decode, or is a decompression bomb."""
    return [
        Finding(
            "photo_not_image",
            visit.subject(photo),
            {
                "photo": photo.evidence.attachment.name,
                "field": photo.evidence.field,
                "problem": photo.evidence.problem,
            },
        )
        for photo in visit.photos
        if not photo.evidence.decodable
    ]


def photo_no_exif(visit: Visit) -> list[Finding]:
    """Information: the camera recorded no time or no position (screenshots, edited copies,
    cameras with location off)."""
    findings = []
    for photo in visit.photos:
        row = photo.evidence
        missing = [
            word
            for word, absent in (("time", row.taken_at is None), ("position", row.latitude is None))
            if absent
        ]
        if row.decodable and missing:
            evidence = {"photo": row.attachment.name, "field": row.field, "missing": missing}
            findings.append(Finding("photo_no_exif", visit.subject(photo), evidence))
    return findings


def photo_gps_far(visit: Visit) -> list[Finding]:
    """The camera's position is far from where the form says the photo was taken."""
    limit = visit.project.photo_distance_max_m
    findings = []
    for photo in visit.photos:
        row = photo.evidence
        point, point_field = visit.photo_point(photo)
        if point is None or row.latitude is None or row.longitude is None:
            continue
        distance = haversine_m(row.latitude, row.longitude, point.latitude, point.longitude)
        if distance > limit:
            evidence = {
                "photo": row.attachment.name,
                "field": row.field,
                "photo_latitude": row.latitude,
                "photo_longitude": row.longitude,
                "point_field": point_field,
                "latitude": point.latitude,
                "longitude": point.longitude,
                "distance_m": round(distance),
                "limit_m": limit,
            }
            findings.append(Finding("photo_gps_far", visit.subject(photo), evidence))
    return findings


def photo_time_outside_visit(visit: Visit) -> list[Finding]:
    """The camera's time falls outside [start - margin, end + margin] of the visit."""
    if visit.started_at is None or visit.ended_at is None:
        return []
    margin = timedelta(minutes=visit.project.photo_time_margin_minutes)
    window_start, window_end = visit.started_at - margin, visit.ended_at + margin
    findings = []
    for photo in visit.photos:
        taken = photo.evidence.taken_at
        if taken is None or window_start <= taken <= window_end:
            continue
        evidence = {
            "photo": photo.evidence.attachment.name,
            "field": photo.evidence.field,
            "taken_at": visit.local(taken),
            "offset_known": photo.evidence.taken_offset_known,
            "window_start": visit.local(window_start),
            "window_end": visit.local(window_end),
            "minutes_outside": round(
                max((window_start - taken).total_seconds(), (taken - window_end).total_seconds())
                / 60
            ),
        }
        findings.append(Finding("photo_time_outside_visit", visit.subject(photo), evidence))
    return findings
