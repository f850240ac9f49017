"""What the photo viewer (static/web/viewer.js) shows of each photo on a page: the mid-size
picture it loads when opened, the original behind a link, where and when the camera says the
photo was taken, and the evidence checks on it as sentences. Nothing here is fetched before the
reader opens a photo: the page carries this as JSON, the pictures as URLs."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from backend.core.display import moment, place
from backend.web.flag_cards import FlagCard

if TYPE_CHECKING:  # the submission page builds its viewer with this module
    from backend.review.submission_page import Photo


def photo_viewer_data(photos: Iterable["Photo"], cards: Iterable[FlagCard]) -> dict[str, object]:
    """Each photo's viewer entry, by the photo's key on the page (`data-photo`)."""
    checks: dict[str, list[str]] = {}
    for card in cards:
        if "/" in card.flag.subject and card.flag.submission_id is not None:
            key = f"{card.flag.submission_id}/{card.flag.subject.partition('/')[2]}"
            sentence = f"{card.label}: {card.sentence}" if card.sentence else card.label
            checks.setdefault(key, []).append(f"{sentence} ({card.state})")
    return {photo.key: _entry(photo, checks.get(photo.key, [])) for photo in photos}


def _entry(photo: "Photo", checks: list[str]) -> dict[str, object]:
    return {
        "title": photo.label,
        "name": photo.name,
        "large": photo.large_url,
        "original": photo.url,
        "time": _time(photo),
        "place": _place(photo),
        "checks": checks or [_no_findings(photo)],
    }


def _time(photo: "Photo") -> str:
    if photo.taken_at is None:
        return _("The camera recorded no time.")
    return _("Taken on %(moment)s (the camera's clock).") % {"moment": moment(photo.taken_at)}


def _place(photo: "Photo") -> str:
    if photo.latitude is None or photo.longitude is None:
        return _("No position was recorded for this photo.")
    where = place(f"{photo.latitude} {photo.longitude}")
    if photo.place_from_camera:
        return _("Taken at %(place)s (the camera's position).") % {"place": where}
    return _("Recorded at %(place)s (the form's location answer).") % {"place": where}


def _no_findings(photo: "Photo") -> str:
    if not photo.thumbnail_url:
        return _("This photo has not been checked yet.")
    return _("The checks on this photo found nothing to question.")
