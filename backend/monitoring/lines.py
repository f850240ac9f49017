"""The monitoring line an income is judged against: that of the income's own year and area.

Lines are looked up from the most specific area up (village, township, county), then the
project's line for that year; a year without any falls back to the project's current line
(Project.monitoring_line), so a project that never entered a table keeps working.
"""

from decimal import Decimal

from backend.areas.models import Area
from backend.monitoring.conditions import LineOf
from backend.monitoring.models import IncomeLine
from backend.projects.models import Project


def line_finder(project: Project, village: Area | None) -> LineOf:
    """A lookup of the line by year for one household; reads the table once."""
    areas = _ancestry(village)
    rank = {area_id: depth for depth, area_id in enumerate(areas)}
    best: dict[int, tuple[int, Decimal]] = {}
    rows = IncomeLine.objects.filter(project=project).values_list("year", "area_id", "amount")
    for year, area_id, amount in rows:
        if area_id is not None and area_id not in rank:
            continue  # another area's line
        depth = len(areas) if area_id is None else rank[area_id]
        if year not in best or depth < best[year][0]:
            best[year] = (depth, amount)
    default = project.monitoring_line

    def line_of(year: int | None) -> Decimal | None:
        if year is None:
            return default
        found = best.get(year)
        return found[1] if found else default

    return line_of


def _ancestry(village: Area | None) -> list[int]:
    """The village's id and those of the areas above it, nearest first."""
    ids: list[int] = []
    area = village
    while area is not None and len(ids) < 8:
        ids.append(area.pk)
        area = area.parent
    return ids
