"""Everything the submission page shows, gathered for one submission (no HTTP here)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.evidence.models import PhotoEvidence
from backend.evidence.selectors import photos_for_submission
from backend.flags.models import Flag
from backend.flags.risk import submission_risk
from backend.flags.selectors import flags_found_or_open, flags_seen_by
from backend.geo.points import parse_geopoint
from backend.households.access import households_for_actor
from backend.households.labels import property_labels
from backend.households.models import Household
from backend.projects.models import Project
from backend.review.answers import AnswerReader, image_keys, question_label
from backend.review.selectors import review_comments
from backend.review.titles import submission_title
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment
from backend.web.flag_cards import flag_cards
from backend.web.maps import MapData, MapPoint
from backend.web.photo_viewer import photo_viewer_data

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


@dataclass(frozen=True)
class Photo:
    name: str
    question: str  # the field key that names the photo
    label: str  # that question's label in the active language
    url: str  # the original, as the phone sent it
    thumbnail_url: str  # about 320 px; "" until the photo is checked and its thumbnails made
    large_url: str  # about 1280 px once checked, else the original
    latitude: float | None = None
    longitude: float | None = None
    submission_id: int = 0
    taken_at: datetime | None = None  # the camera's clock (EXIF), None when it has none
    place_from_camera: bool = False  # the place is the camera's (EXIF), not the form's answer

    @property
    def key(self) -> str:
        """Names the photo within a page that shows photos of several submissions."""
        return f"{self.submission_id}/{self.name}"


def gallery_photos(
    project: Project,
    submission: Submission,
    *,
    attachments: list[SubmissionAttachment] | None = None,
    checked: dict[int, PhotoEvidence] | None = None,
) -> list[Photo]:
    """The submission's photos in the order of the form, with thumbnails once they are checked.

    Pages show the thumbnails and link the large picture and the original: a phone photo is
    3-5 MB, and a page of them must not fetch those before the reader opens one.

    The place shown is where the camera says it took the photo (EXIF); without it, the geopoint
    the form asked for beside the photo (`<photo>_gps`). A page showing many submissions passes
    their received `attachments` and `checked` photos (by attachment id), read in one query each.
    """
    fields = submission.fields or {}
    keys = image_keys(fields)
    if checked is None:
        checked = {p.attachment_id: p for p in photos_for_submission(submission)}
    if attachments is None:
        attachments = list(submission.attachments.filter(state=AttachmentState.RECEIVED))
    photos = []
    for attachment in attachments:
        if attachment.content_type not in IMAGE_TYPES or attachment.image_ok is False:
            continue
        key = keys.get(attachment.name, "")
        url = reverse("submission-attachment", args=[project.slug, submission.pk, attachment.name])
        evidence = checked.get(attachment.pk)
        latitude, longitude = _photo_place(evidence, fields.get(f"{key}_gps") if key else None)
        photos.append(
            Photo(
                name=attachment.name,
                question=key,
                label=question_label(submission.form_version, key) if key else attachment.name,
                url=url,
                thumbnail_url=f"{url}?size=small" if evidence and evidence.thumb_small else "",
                large_url=f"{url}?size=large" if evidence and evidence.thumb_large else url,
                latitude=latitude,
                longitude=longitude,
                submission_id=submission.pk,
                taken_at=evidence.taken_at if evidence else None,
                place_from_camera=evidence is not None and evidence.latitude is not None,
            )
        )
    return photos


def _photo_place(evidence: PhotoEvidence | None, gps: object) -> tuple[float | None, float | None]:
    if evidence is not None and evidence.latitude is not None and evidence.longitude is not None:
        return evidence.latitude, evidence.longitude
    point = parse_geopoint(gps) if isinstance(gps, str) else None
    return (point.latitude, point.longitude) if point else (None, None)


def submission_household(
    actor: Actor, project: Project, submission: Submission
) -> Household | None:
    """The household the submission changed, if the actor may see it."""
    return (
        households_for_actor(actor=actor, project=project)
        .filter(versions__submission=submission)
        .select_related("village")
        .first()
    )


def submission_map(
    submission: Submission, household: Household | None, photos: list[Photo], root: str
) -> MapData:
    """The points the submission recorded (not those beside photos), the household, the photos."""
    data = MapData()
    types = submission.form_version.fields or {}
    for key, value in (submission.fields or {}).items():
        if types.get(f"{root}/{key}") == "geopoint" and isinstance(value, str):
            point = parse_geopoint(value)
            # `<photo>_gps` is where a photo was taken, drawn with the photo; `visit_gps` is not.
            beside_photo = key.endswith("_gps") and types.get(f"{root}/{key[:-4]}") == "image"
            if point is not None and not beside_photo:
                data.points.append(
                    MapPoint(point.latitude, point.longitude, _("Visit point"), "visit")
                )
    if household is not None:
        if household.latitude is not None and household.longitude is not None:
            data.points.append(
                MapPoint(
                    household.latitude,
                    household.longitude,
                    _("Household's registered location"),
                    "household",
                )
            )
        data.add_village(household.village)
    for photo in photos:
        if photo.latitude is not None and photo.longitude is not None:
            data.points.append(
                MapPoint(
                    photo.latitude, photo.longitude, _photo_point_label(photo), "photo", photo.url
                )
            )
    return data


def _photo_point_label(photo: Photo) -> str:
    """The photo's question and its file name (the file name alone when it has no question)."""
    if photo.label == photo.name:
        return photo.name
    return _("Photo: %(label)s (%(name)s)") % {"label": photo.label, "name": photo.name}


def submission_flags(
    actor: Actor, project: Project, submission: Submission, household: Household | None
) -> list[Flag]:
    """Flags this submission found (open or closed), and the household's open flags, as the
    actor may read them (backend/flags/selectors.py)."""
    flags = flags_found_or_open(submission=submission, household=household)
    return flags_seen_by(list(flags), actor=actor, project=project)


def submission_page_context(
    *, actor: Actor, project: Project, submission: Submission, language: str, reveal: bool
) -> dict[str, Any]:
    household = submission_household(actor, project, submission)
    photos = gallery_photos(project, submission)
    fields = submission.fields or {}
    reader = AnswerReader(
        submission.form_version,
        language,
        reveal=reveal,
        properties=property_labels(project, villages=_village_codes(fields), language=language),
        # The household answer holds the entity id; the reader knows the household by its label.
        known={str(household.uuid): household.label} if household else {},
    )
    score, parts = submission_risk(submission)
    cards = flag_cards(
        submission_flags(actor, project, submission, household),
        project=project,
        here=reverse("review:submission", args=[project.slug, submission.pk]),
        clear=household is not None,
    )
    return {
        "submission": submission,
        "title": submission_title(
            household=household.label if household else None,
            form=submission.form.title,
            received=submission.created_at,
        ),
        "household": household,
        "answers": reader.read(fields),
        "photos": photos,
        "photos_by_name": {photo.name: photo for photo in photos},
        "flag_cards": cards,
        "photo_viewer": photo_viewer_data(photos, cards),
        "risk": score,
        "risk_parts": parts,
        "comments": list(review_comments(submission=submission)),
        "map": submission_map(submission, household, photos, reader.labels.root).as_json(),
    }


def _village_codes(fields: dict[str, object]) -> list[str]:
    """The village codes the answers hold (the shipped forms name their village answer so)."""
    return [
        value
        for key, value in fields.items()
        if key.rsplit("/", 1)[-1] == "village" and isinstance(value, str)
    ]
