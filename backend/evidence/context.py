"""Everything the checks read about one submission, gathered once."""

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from backend.evidence.models import VisitEvidence
from backend.evidence.photos import Photo
from backend.geo.points import GeoPoint, parse_geopoint
from backend.households.models import Household
from backend.projects.models import Project
from backend.submissions.models import Submission


@dataclass
class Visit:
    submission: Submission
    project: Project
    household: Household | None
    # The visit point's question ("" when the form asks for none), its answer and the point.
    point_field: str
    point_text: str | None
    point: GeoPoint | None
    started_at: datetime | None
    ended_at: datetime | None
    photos: list[Photo]
    record: VisitEvidence
    # The phone's UTC offset (from the start time), for showing times as the worker saw them.
    zone: tzinfo
    # The submission and its edits: never compared with themselves.
    chain: set[int] = field(default_factory=set)

    def subject(self, photo: Photo | None = None) -> str:
        """The flag subject: the visit, or one of its photos."""
        base = f"s{self.submission.pk}"
        return f"{base}/{photo.evidence.attachment.name}" if photo else base

    def local(self, moment: datetime | None) -> str | None:
        """A time as the phone showed it, ISO 8601 with its offset."""
        return moment.astimezone(self.zone).isoformat() if moment else None

    def photo_point(self, photo: Photo) -> tuple[GeoPoint | None, str]:
        """Where the photo should have been taken: its own location answer, else the visit's."""
        if photo.point_text is not None:
            field_path = f"{photo.evidence.field}_gps"
            return parse_geopoint(photo.point_text), field_path
        return self.point, self.point_field
