"""Checks of the visit's times: its length, the phone's clock, and travel between visits."""

from datetime import timedelta

from backend.evidence.context import Visit
from backend.evidence.selectors import previous_visit
from backend.flags.services import Finding
from backend.geo.distance import haversine_m

# Below this, two points may differ by GPS noise alone: no speed is computed.
TRAVEL_MIN_DISTANCE_M = 1000


def visit_too_short(visit: Visit) -> list[Finding]:
    """The form was open (start to end) for less than the project's shortest plausible visit."""
    if visit.started_at is None or visit.ended_at is None:
        return []
    duration = (visit.ended_at - visit.started_at).total_seconds()
    limit = visit.project.visit_min_minutes
    if duration < 0 or duration >= limit * 60:
        return []  # a negative length is the clock's fault: device_time_skew reports it
    evidence = {
        "started_at": visit.local(visit.started_at),
        "ended_at": visit.local(visit.ended_at),
        "duration_s": round(duration),
        "limit_minutes": limit,
    }
    return [Finding("visit_too_short", visit.subject(), evidence)]


def device_time_skew(visit: Visit) -> list[Finding]:
    """The phone's clock is wrong: the visit ends in the future, before it starts, before its
    form was published, or so long before it was received that the clock is suspect."""
    ended, received = visit.ended_at, visit.submission.created_at
    if ended is None:
        return []
    project = visit.project
    skew = timedelta(minutes=project.clock_skew_max_minutes)
    published = visit.submission.form_version.created_at
    reasons = (
        ("end_in_future", ended > received + skew),
        ("end_before_start", visit.started_at is not None and ended < visit.started_at),
        ("before_form_published", ended < published - skew),
        ("sent_late", received - ended > timedelta(days=project.submission_delay_max_days)),
    )
    reason = next((name for name, holds in reasons if holds), None)
    if reason is None:
        return []
    evidence = {
        "reason": reason,
        "started_at": visit.local(visit.started_at),
        "ended_at": visit.local(ended),
        "received_at": visit.local(received),
        "form_published_at": visit.local(published),
        "difference_minutes": round((ended - received).total_seconds() / 60),
        "limit_minutes": project.clock_skew_max_minutes,
        "limit_days": project.submission_delay_max_days,
    }
    return [Finding("device_time_skew", visit.subject(), evidence)]


def impossible_travel(visit: Visit) -> list[Finding]:
    """The same worker or phone was at the previous visit's point too recently to be here.

    The time allowed is the most generous reading: from the previous visit's start to this one's
    end. GPS accuracies are subtracted from the distance, so noise never accuses anyone.
    """
    record, point = visit.record, visit.point
    if point is None or record.ended_at is None:
        return []
    previous = previous_visit(record, visit.chain)
    if previous is None or previous.latitude is None or previous.longitude is None:
        return []
    distance = haversine_m(point.latitude, point.longitude, previous.latitude, previous.longitude)
    distance -= (point.accuracy or 0) + (previous.accuracy or 0)
    since = previous.started_at or previous.ended_at
    hours = max((record.ended_at - since).total_seconds(), 1) / 3600  # type: ignore[operator]
    speed, limit = distance / 1000 / hours, visit.project.travel_speed_max_kmh
    if distance < TRAVEL_MIN_DISTANCE_M or speed <= limit:
        return []
    same = "worker" if previous.worker_id and previous.worker_id == record.worker_id else "device"
    evidence = {
        "other_submission": previous.submission.instance_id,
        "other_submission_id": previous.submission_id,
        "same": same,
        "distance_km": round(distance / 1000, 1),
        "minutes": round(hours * 60),
        "speed_kmh": round(speed),
        "limit_kmh": limit,
    }
    return [Finding("impossible_travel", visit.subject(), evidence)]
