"""Which questions of a form the evidence checks read (documented in docs/evidence.md).

The mapping is explicit, by question name, for the shipped forms (forms/library/README.md), with
one stated fallback for other forms. Every flag's evidence names the question it used.
"""

from dataclasses import dataclass

from backend.core.xmlparse import UntrustedXmlError, parse_untrusted
from forms.models import FormVersion

# The question recording where the visit happened, by name, in order of preference:
# hh_visit `visit_gps`; hh_registration `housing/location`; housing_inspection records no visit
# point of its own, so the front photo's point of the stage (only one stage is relevant).
VISIT_POINT_NAMES = (
    "visit_gps",
    "location",
    "photo_before_gps",
    "photo_during_gps",
    "photo_after_gps",
)
# A photo question `X` followed by a geopoint `X_gps` in the same group has its own point.
PHOTO_POINT_SUFFIX = "_gps"
# Renovation photos compared with each other (housing_inspection): the after photo must not be
# the before photo again.
AFTER_OF_BEFORE = {"photo_after": "photo_before"}
# Image questions drawn on screen rather than taken with the camera: no EXIF, no place.
_DRAWN = {"signature", "draw"}


@dataclass(frozen=True)
class FormMap:
    photo_fields: tuple[str, ...]
    geopoint_fields: tuple[str, ...]
    # Candidates for the visit point, best first; empty when the form asks for no location.
    visit_point_fields: tuple[str, ...]


# Form versions never change once published: their maps are kept by XForm MD5 and bind types,
# so the (large) XForm is read from the database only the first time a process sees a version.
_MAPS: dict[tuple[str, tuple[tuple[str, str], ...]], FormMap] = {}
_MAPS_KEPT = 64


def version_form_map(version: FormVersion) -> FormMap:
    """The map of a form version; its XForm may be deferred (loaded only when not cached)."""
    key = (version.md5, tuple(sorted(version.fields.items())))
    found = _MAPS.get(key)
    if found is None:
        found = _form_map(version.xform, key[1])
        if len(_MAPS) >= _MAPS_KEPT:
            _MAPS.clear()
        _MAPS[key] = found
    return found


def _form_map(xform: str, types: tuple[tuple[str, str], ...]) -> FormMap:
    drawn = _drawn_images(xform)
    repeats = [path for path, kind in types if kind == "repeat"]
    photos = tuple(path for path, kind in types if kind == "image" and path not in drawn)
    geopoints = tuple(path for path, kind in types if kind == "geopoint")
    outside_repeats = [g for g in geopoints if not any(g.startswith(f"{r}/") for r in repeats)]
    named = sorted(
        (g for g in outside_repeats if _name(g) in VISIT_POINT_NAMES),
        key=lambda g: VISIT_POINT_NAMES.index(_name(g)),
    )
    # Other forms: the first location question outside repeats stands for the visit.
    fallback = sorted(outside_repeats, key=lambda p: _position(xform, p))[:1]
    visit = tuple(named or fallback)
    return FormMap(photo_fields=photos, geopoint_fields=geopoints, visit_point_fields=visit)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def photo_name(path: str) -> str:
    """The question name of a field path (/data/after/photo_after -> photo_after)."""
    return _name(path)


def _position(xform: str, path: str) -> int:
    """Where a question first appears in the XForm, so the fallback follows the form's order."""
    found = xform.find(f'"{path}"')
    return found if found >= 0 else len(xform)


def _drawn_images(xform: str) -> frozenset[str]:
    try:
        root = parse_untrusted(xform.encode("utf-8"))
    except UntrustedXmlError:
        return frozenset()
    return frozenset(
        element.get("ref", "")
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "upload"
        and set(element.get("appearance", "").split()) & _DRAWN
    )
