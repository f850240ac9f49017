"""The data a page's Leaflet map draws (static/web/map.js): points, polygons and the tile layer."""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings

from backend.areas.models import Area


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    label: str
    kind: str  # visit | household | photo: distinct markers (static/web/map.js), the visit on top
    url: str = ""


@dataclass
class MapData:
    points: list[MapPoint] = field(default_factory=list)
    polygons: list[dict[str, Any]] = field(default_factory=list)  # GeoJSON geometries

    def add_village(self, village: Area | None) -> None:
        if village is not None and village.boundary:
            self.polygons.append({"geometry": village.boundary, "label": village.name})

    def as_json(self) -> dict[str, Any]:
        """What the page embeds with json_script; the tile layer is a setting (empty: none)."""
        return {
            "points": [asdict(point) for point in self.points],
            "polygons": self.polygons,
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
        }
