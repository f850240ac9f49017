"""What a renovation shows (docs/renovation.md): its row in words, and the before/after
evidence, the photos of its inspection visits spot by spot with their places, times and the
evidence checks' sentences."""

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from backend.casework.kinds import GRADES, METHODS
from backend.casework.models import Case
from backend.casework.renovation_models import PriorityGroup, Renovation, RenovationVisit, Stage
from backend.evidence.models import PhotoEvidence
from backend.flags.catalogue import flag_details_for_reader, flag_label
from backend.flags.models import Flag, FlagState
from backend.geo.points import parse_geopoint
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment

# The spots the housing inspection form photographs at each stage, by the question naming the
# file: the front of the house is taken before, during and after from the same place.
SPOTS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "front",
        {
            Stage.BEFORE: "before/photo_before",
            Stage.DURING: "during/photo_during",
            Stage.AFTER: "after/photo_after",
        },
    ),
    ("kitchen", {Stage.AFTER: "after/photo_kitchen"}),
    ("toilet", {Stage.AFTER: "after/photo_toilet"}),
)
# The visit's own checks shown on each of its photos (the photo's own are matched by subject).
_VISIT_CHECKS = ("gps_far_from_household", "visit_too_short")


def spot_label(spot: str) -> str:
    labels = {
        "front": _("Front of the house"),
        "kitchen": _("Kitchen"),
        "toilet": _("Sanitary toilet"),
    }
    return labels[spot]


@dataclass(frozen=True)
class StagePhoto:
    stage: str
    stage_label: str
    url: str  # the original, fetched only when the reader asks for it
    thumbnail_url: str  # "" until the photo is checked and its thumbnails made
    large_url: str
    taken_at: datetime | None
    visit_ended_at: datetime | None
    latitude: float | None
    longitude: float | None
    checked: bool
    # The evidence checks' sentences on this photo (empty: none found).
    checks: list[str]


@dataclass(frozen=True)
class Spot:
    spot: str
    label: str
    # Before, during and after, in that order; None where no visit photographed it.
    photos: list[StagePhoto | None]


@dataclass(frozen=True)
class RenovationView:
    renovation: Renovation
    grade_label: str
    method_label: str
    priority_labels: list[str]
    move_in_overdue: bool
    # A sentence about the move-in ("" when there is no deadline yet).
    move_in_note: str
    reinspector: str


def renovation_view(case: Case, today: date) -> RenovationView:
    """The renovation's row as people read it."""
    renovation = Renovation.objects.select_related("reinspector").get(case=case)
    groups = dict(PriorityGroup.choices)
    overdue = renovation.move_in_overdue(today)
    return RenovationView(
        renovation=renovation,
        grade_label=str(dict(GRADES).get(renovation.grade, renovation.grade)),
        method_label=str(dict(METHODS).get(renovation.method, renovation.method)),
        priority_labels=[str(groups[g]) for g in renovation.priority_groups if g in groups],
        move_in_overdue=overdue,
        move_in_note=_move_in_note(renovation, overdue),
        reinspector=str(renovation.reinspector) if renovation.reinspector else "",
    )


def _move_in_note(renovation: Renovation, overdue: bool) -> str:
    def day(value: date) -> str:
        return str(formats.date_format(value, "DATE_FORMAT"))

    if renovation.moved_in_on is not None:
        return _("Moved in on %(date)s.") % {"date": day(renovation.moved_in_on)}
    if renovation.move_in_by is None:
        return ""
    if overdue:
        return _("The household should have moved in by %(date)s and has not.") % {
            "date": day(renovation.move_in_by)
        }
    return _("To move in by %(date)s.") % {"date": day(renovation.move_in_by)}


def renovation_spots(case: Case) -> list[Spot]:
    """The photos of the renovation's visits, spot by spot: the latest visit of each stage."""
    latest: dict[str, Submission] = {}
    visits = RenovationVisit.objects.filter(case=case).select_related("submission")
    for visit in visits.order_by("submission__created_at", "submission_id"):
        latest[visit.stage] = visit.submission
    spots = []
    for spot, questions in SPOTS:
        photos = [
            _photo(case, latest[stage], stage, questions[stage])
            if stage in latest and stage in questions
            else None
            for stage in Stage.values
        ]
        if any(photos):
            spots.append(Spot(spot=spot, label=spot_label(spot), photos=photos))
    return spots


def _photo(case: Case, submission: Submission, stage: str, question: str) -> StagePhoto | None:
    fields = submission.fields or {}
    name = fields.get(question)
    if not isinstance(name, str) or not name:
        return None
    attachment = SubmissionAttachment.objects.filter(
        submission=submission, name=name, state=AttachmentState.RECEIVED
    ).first()
    if attachment is None:
        return None
    evidence = PhotoEvidence.objects.filter(attachment=attachment).first()
    url = reverse("submission-attachment", args=[case.project.slug, submission.pk, name])
    latitude, longitude = _place(evidence, fields.get(f"{question}_gps"))
    return StagePhoto(
        stage=stage,
        stage_label=str(Stage(stage).label),
        url=url,
        thumbnail_url=f"{url}?size=small" if evidence and evidence.thumb_small else "",
        large_url=f"{url}?size=large" if evidence and evidence.thumb_large else url,
        taken_at=evidence.taken_at if evidence else None,
        visit_ended_at=submission.ended_at,
        latitude=latitude,
        longitude=longitude,
        checked=evidence is not None,
        checks=_checks(submission, name, case.project_id),
    )


def _place(evidence: PhotoEvidence | None, gps: object) -> tuple[float | None, float | None]:
    """Where the camera says it took the photo; without EXIF, the point the form asked for."""
    if evidence is not None and evidence.latitude is not None and evidence.longitude is not None:
        return evidence.latitude, evidence.longitude
    point = parse_geopoint(gps) if isinstance(gps, str) else None
    return (point.latitude, point.longitude) if point else (None, None)


def _checks(submission: Submission, name: str, project_id: int) -> list[str]:
    """The open evidence flags on this photo and on its visit, as sentences."""
    flags = Flag.objects.filter(submission=submission, state=FlagState.OPEN).filter(
        subject__in=[f"s{submission.pk}/{name}", f"s{submission.pk}"]
    )
    sentences = []
    for flag in flags.order_by("id"):
        if flag.subject == f"s{submission.pk}" and flag.code not in _VISIT_CHECKS:
            continue
        details = flag_details_for_reader(flag)
        label = flag_label(flag.code, project_id)
        sentences.append(f"{label}: {details}" if details else label)
    return sentences
