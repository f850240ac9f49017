from decimal import Decimal

from ninja import Schema

from backend.areas.models import Area


class AreaRefOut(Schema):
    code: str
    name: str
    level: str

    @staticmethod
    def of(area: Area) -> "AreaRefOut":
        return AreaRefOut(code=area.code, name=area.name, level=area.level)


class ProjectOut(Schema):
    slug: str
    name: str
    color: str
    icon: str
    # The caller's role here (admin, supervisor, collector) and the areas assigned to them; no
    # areas means the whole project (for workers: their own households).
    role: str
    areas: list[AreaRefOut]
    monitoring_line: Decimal
    visit_cadence_days: int
    household_creation_needs_approval: bool
