from typing import Any

from ninja import Field, Schema

from backend.areas.models import Area


class AreaFilters(Schema):
    level: str | None = Field(None, description="county, township, village or group")
    parent: str | None = Field(None, description="only the direct children of this area code")
    boundaries: bool = Field(False, description="include each village's GeoJSON boundary")


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    # A GeoJSON Polygon or MultiPolygon (WGS 84 lon/lat); null when absent or not asked for.
    boundary: dict[str, Any] | None

    @staticmethod
    def resolve_parent(area: Area) -> str | None:
        return area.parent.code if area.parent else None  # parent is select_related

    @staticmethod
    def resolve_boundary(area: Area) -> dict[str, Any] | None:
        # Lists leave the boundary out (deferred) unless asked: it is most of the bytes.
        return None if "boundary" in area.get_deferred_fields() else area.boundary
