"""A statistics table for one reader and year: a row per village they see, a subtotal per
township after its villages, and the total; the page, the workbook and the API read these."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.casework.access import cases_for_actor
from backend.households.access import households_for_actor
from backend.projects.models import Project
from backend.statistics.models import VillagePopulation
from backend.statistics.spec import Source, TableSpec

VILLAGE, TOWNSHIP, TOTAL = "village", "township", "total"


@dataclass(frozen=True)
class ReportRow:
    level: str  # VILLAGE, TOWNSHIP or TOTAL
    code: str
    name: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Report:
    table: TableSpec
    year: int
    rows: list[ReportRow]

    @property
    def total(self) -> ReportRow:
        return self.rows[-1]


def statistics_report(*, actor: Actor, project: Project, table: TableSpec, year: int) -> Report:
    households = households_for_actor(actor=actor, project=project)
    village_ids = set(households.order_by().values_list("village_id", flat=True).distinct())
    source = Source(
        households=households,
        cases=cases_for_actor(actor=actor, project=project),
        year=year,
        populations=_populations(year, village_ids),
    )
    counted = table.count(source)
    villages = Area.objects.filter(pk__in=counted).select_related("parent")
    return Report(table, year, _rows(table, counted, list(villages)))


def _populations(year: int, seen: set[int]) -> dict[int, int]:
    """The year's populations of the villages whose households the reader sees."""
    rows = VillagePopulation.objects.filter(year=year, village_id__in=seen)
    return dict(rows.values_list("village_id", "population"))


def _rows(
    table: TableSpec, counted: dict[int, dict[str, Any]], villages: list[Area]
) -> list[ReportRow]:
    keys = [column.key for column in table.columns if column.ratio is None]
    by_township: dict[int | None, list[Area]] = {}
    for village in sorted(villages, key=lambda v: (v.parent.code if v.parent else "", v.code)):
        by_township.setdefault(village.parent_id, []).append(village)
    rows: list[ReportRow] = []
    total = dict.fromkeys(keys, 0)
    for members in by_township.values():
        subtotal = dict.fromkeys(keys, 0)
        for village in members:
            values = {key: counted[village.pk].get(key, 0) or 0 for key in keys}
            rows.append(ReportRow(VILLAGE, village.code, village.name, _with_ratios(table, values)))
            for key in keys:
                subtotal[key] += values[key]
                total[key] += values[key]
        township = members[0].parent
        if township is not None:
            name = _("%(township)s, subtotal") % {"township": township.name}
            rows.append(ReportRow(TOWNSHIP, township.code, name, _with_ratios(table, subtotal)))
    rows.append(ReportRow(TOTAL, "", _("Total"), _with_ratios(table, total)))
    return rows


def _with_ratios(table: TableSpec, values: dict[str, Any]) -> dict[str, Any]:
    """The counts and each ratio computed from them, in percent with two decimals (None when
    the denominator is 0: nothing to divide by is not 0 %)."""
    result = dict(values)
    for column in table.columns:
        if column.ratio is None:
            continue
        numerator, denominator = (values.get(key, 0) or 0 for key in column.ratio)
        result[column.key] = (
            (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            if denominator
            else None
        )
    return result
