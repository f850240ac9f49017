"""The monitoring line an income is judged against: that of the income's own year and area.

Lines are looked up from the most specific area up (village, township, county), then the
project's line for that year; a year without any falls back to the project's current line
(Project.monitoring_line), so a project that never entered a table keeps working.
"""

from decimal import Decimal
from functools import partial

from backend.areas.ancestry import area_and_ancestors
from backend.core.cache import cached_on_generation
from backend.monitoring.conditions import LineOf
from backend.monitoring.models import IncomeLine
from backend.monitoring.signals import rules_generation
from backend.projects.models import Project

LineRow = tuple[int, int | None, Decimal]  # year, area (None: the whole project), amount


def line_finder(project: Project, village_id: int | None) -> LineOf:
    """A lookup of the line by year for one household's village."""
    areas = area_and_ancestors(village_id)
    rank = {area_id: depth for depth, area_id in enumerate(areas)}
    best: dict[int, tuple[int, Decimal]] = {}
    for year, area_id, amount in project_lines(project.pk):
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


def project_lines(project_id: int) -> list[LineRow]:
    """The project's table of lines, kept until a line or a rule of the project changes."""
    return cached_on_generation(
        rules_generation(project_id), f"income-lines:{project_id}", partial(_lines, project_id)
    )


def _lines(project_id: int) -> list[LineRow]:
    rows = IncomeLine.objects.filter(project_id=project_id)
    return list(rows.values_list("year", "area_id", "amount"))
