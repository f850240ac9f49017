"""The dashboard's account of the rectification items a reader sees: open, overdue (past their
deadline, in red), waiting for a check and struck off, by township and village and by
department (one grouped query), and the most overdue items themselves."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.casework.kinds import RECTIFY
from backend.casework.ledger import (
    LedgerRow,
    ledger_rows,
    rectifications_for_actor,
    with_ledger_details,
)
from backend.casework.models import CaseState
from backend.projects.models import Department, Project

# The overdue items the dashboard lists by name, the longest overdue first.
_LISTED = 20


@dataclass
class ItemTally:
    """The items of one area or one department."""

    name: str
    open: int = 0
    overdue: int = 0
    at_check: int = 0
    struck_off: int = 0

    def add(self, other: "ItemTally") -> None:
        self.open += other.open
        self.overdue += other.overdue
        self.at_check += other.at_check
        self.struck_off += other.struck_off


@dataclass(frozen=True)
class TownshipItems:
    tally: ItemTally
    villages: list[ItemTally]


@dataclass(frozen=True)
class RectificationOverview:
    total: ItemTally
    townships: list[TownshipItems]
    departments: list[ItemTally]
    overdue: list[LedgerRow] = field(default_factory=list)


def rectification_overview(
    *, actor: Actor, project: Project, today: date, village: Area | None = None
) -> RectificationOverview:
    """The reader's items (in one village when given), counted as the dashboard shows them."""
    items = rectifications_for_actor(actor=actor, project=project)
    if village is not None:
        items = items.filter(Q(household__village=village) | Q(village=village))
    rows = (
        items.order_by()
        .annotate(area_id=Coalesce("household__village_id", "village_id"))
        .values("area_id", "department", "state", "step")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(state="open", due_on__lt=today)))
    )
    total = ItemTally("")
    by_village: dict[int, ItemTally] = {}
    by_department: dict[str, ItemTally] = {}
    for row in rows:
        tally = _tally(row)
        total.add(tally)
        by_village.setdefault(row["area_id"], ItemTally("")).add(tally)
        if row["department"]:
            by_department.setdefault(row["department"], ItemTally("")).add(tally)
    late = with_ledger_details(items.filter(state=CaseState.OPEN, due_on__lt=today))
    return RectificationOverview(
        total=total,
        townships=_by_township(by_village),
        departments=[
            _named(by_department[code], str(Department(code).label))
            for code in Department.values
            if code in by_department
        ],
        overdue=(
            ledger_rows(late.order_by("due_on", "pk")[:_LISTED], today=today)
            if total.overdue
            else []
        ),
    )


def _tally(row: Mapping[str, Any]) -> ItemTally:
    n, late = int(row["n"]), int(row["late"])
    if row["state"] == CaseState.APPROVED:
        return ItemTally("", struck_off=n)
    if row["state"] != CaseState.OPEN:
        return ItemTally("")
    return ItemTally("", open=n, overdue=late, at_check=0 if row["step"] == RECTIFY.code else n)


def _named(tally: ItemTally, name: str) -> ItemTally:
    tally.name = name
    return tally


def _by_township(by_village: dict[int, ItemTally]) -> list[TownshipItems]:
    places = {v.pk: v for v in Area.objects.filter(pk__in=by_village).select_related("parent")}
    townships: dict[str, TownshipItems] = {}
    for village_id in sorted(by_village, key=lambda pk: places[pk].code):
        village = places[village_id]
        name = village.parent.name if village.parent else "—"
        township = townships.setdefault(name, TownshipItems(ItemTally(name), []))
        township.villages.append(_named(by_village[village_id], village.name))
        township.tally.add(by_village[village_id])
    return sorted(townships.values(), key=lambda t: t.tally.name)
