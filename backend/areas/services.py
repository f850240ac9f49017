"""Changing areas: the admin's edits, and importing the county → township → village hierarchy
with village boundaries (GeoJSON)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backend.areas.access import AreaEditor
from backend.areas.models import PARENT_LEVEL, Area, Level
from backend.core.errors import InvalidInput
from backend.geo.boundaries import BoundaryError, boundary_from_geojson


class AreaImportInvalid(InvalidInput):
    code = "areas.import_invalid"


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    level: str
    parent_code: str
    boundary: dict[str, Any] | None


@dataclass
class _Check:
    rows: list[_Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def areas_import(*, collection: Any, editor: AreaEditor) -> AreaImportResult:
    """Create or update areas from a GeoJSON FeatureCollection; all or nothing.

    Each feature's properties: `code`, `name`, `level` (county, township, village, group) and
    `parent` (the parent's code; none for a county). Villages may carry a Polygon boundary; a
    feature without one keeps the boundary its area has. A feature that changes an area the
    editor may not edit, or places one where they may not, refuses the whole file.
    """
    check = _read(collection, editor)
    if check.errors:
        raise AreaImportInvalid(
            _("Nothing was imported: fix these features first."), details=check.errors
        )
    with transaction.atomic(durable=True):
        return _save(check.rows)


def _read(collection: Any, editor: AreaEditor) -> _Check:
    check = _Check()
    features = collection.get("features") if isinstance(collection, dict) else None
    if collection is None or not isinstance(features, list):
        check.errors.append(_("The file is not a GeoJSON FeatureCollection."))
        return check
    known = {a.code: a.level for a in Area.objects.only("code", "level")}
    existing = {a.code: a for a in Area.objects.select_related("parent")}
    for number, feature in enumerate(features, start=1):
        row, problem = _row(feature)
        if problem:
            check.errors.append(_("Feature %(n)s: %(problem)s") % {"n": number, "problem": problem})
            continue
        assert row is not None
        expected = PARENT_LEVEL[row.level]
        parent_level = known.get(row.parent_code) if row.parent_code else None
        if expected is None and row.parent_code:
            problem = _("a county has no parent")
        elif expected is not None and parent_level != expected:
            problem = _("parent %(parent)s is not a known %(level)s") % {
                "parent": row.parent_code or "-",
                "level": expected,
            }
        if not problem and not _permitted(row, existing, editor):
            problem = _(
                "this change lies outside your areas, or another project works there too; "
                "ask the server's operator"
            )
        if problem:
            check.errors.append(
                _("Feature %(n)s (%(code)s): %(problem)s")
                % {"n": number, "code": row.code, "problem": problem}
            )
            continue
        known[row.code] = row.level
        check.rows.append(row)
    return check


def _permitted(row: _Row, existing: dict[str, Area], editor: AreaEditor) -> bool:
    """Whether the editor may make this row's change: a new area needs its parent (an area new
    in the same file was itself checked), an edit needs the area, a move both parents."""
    area = existing.get(row.code)
    parent = existing.get(row.parent_code) if row.parent_code else None
    if area is None:
        if row.parent_code and parent is None:
            return True  # its parent is new in this file, and was checked itself
        return editor.may_place_under(parent)
    if not _changes(area, row):
        return True  # a file re-imported as it is changes nothing
    if not editor.may_edit(area):
        return False
    moved = area.parent_id != (parent.pk if parent else None)
    return not moved or (editor.may_place_under(parent) and editor.may_place_under(area.parent))


def _changes(area: Area, row: _Row) -> bool:
    parent_code = area.parent.code if area.parent else ""
    boundary = row.boundary if row.boundary is not None else area.boundary
    return (area.name, area.level, parent_code, area.boundary) != (
        row.name,
        row.level,
        row.parent_code,
        boundary,
    )


def _row(feature: Any) -> tuple[_Row | None, str]:
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return None, _("no properties")
    code, name = str(props.get("code") or "").strip(), str(props.get("name") or "").strip()
    level, parent = str(props.get("level") or "").strip(), str(props.get("parent") or "").strip()
    if not code or not name:
        return None, _("code and name are required")
    if level not in Level.values:
        return None, _("level must be one of county, township, village, group, not %(level)s") % {
            "level": level or "-"
        }
    geometry = feature.get("geometry")
    if geometry is not None:
        try:
            boundary_from_geojson(geometry)
        except BoundaryError as exc:
            return None, _("%(code)s: bad boundary: %(reason)s") % {"code": code, "reason": exc}
    return _Row(
        code=code[:32], name=name[:200], level=level, parent_code=parent, boundary=geometry
    ), ""


def _save(rows: list[_Row]) -> AreaImportResult:
    result = AreaImportResult()
    saved: dict[str, Area] = {}
    for row in rows:
        parent = saved.get(row.parent_code) or Area.objects.filter(code=row.parent_code).first()
        values: dict[str, Any] = {"name": row.name, "level": row.level, "parent": parent}
        if row.boundary is not None:
            values["boundary"] = row.boundary
        area, created = Area.objects.update_or_create(code=row.code, defaults=values)
        saved[row.code] = area
        result.created += created
        result.updated += not created
    return result
