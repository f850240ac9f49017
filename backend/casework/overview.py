"""The dashboard's account of the cases a reader sees: how many wait at each level, how many are
overdue, approved and rejected, by kind and by township and village (one grouped query,
selectors.case_counts)."""

from dataclasses import dataclass, field
from datetime import date

from backend.accounts.access import Actor
from backend.areas.models import Area, Level
from backend.casework.access import cases_for_actor
from backend.casework.models import STATUS_KINDS, CaseState, Kind
from backend.casework.selectors import CaseCount, case_counts
from backend.projects.models import Project

_LEVELS = (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY)


@dataclass
class CaseTally:
    """The cases of one kind or one area."""

    name: str
    waiting: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_LEVELS, 0))
    overdue: int = 0
    approved: int = 0
    rejected: int = 0

    @property
    def open(self) -> int:
        return sum(self.waiting.values())

    @property
    def at_village(self) -> int:
        return self.waiting[Level.VILLAGE]

    @property
    def at_township(self) -> int:
        return self.waiting[Level.TOWNSHIP]

    @property
    def at_county(self) -> int:
        return self.waiting[Level.COUNTY]

    def absorb(self, other: "CaseTally") -> None:
        for level, n in other.waiting.items():
            self.waiting[level] = self.waiting.get(level, 0) + n
        self.overdue += other.overdue
        self.approved += other.approved
        self.rejected += other.rejected

    def add(self, count: CaseCount) -> None:
        if count.state == CaseState.OPEN:
            self.waiting[count.level] = self.waiting.get(count.level, 0) + count.cases
            self.overdue += count.overdue
        elif count.state == CaseState.APPROVED:
            self.approved += count.cases
        else:
            self.rejected += count.cases


@dataclass(frozen=True)
class TownshipTally:
    tally: CaseTally
    villages: list[CaseTally]


@dataclass(frozen=True)
class CaseOverview:
    total: CaseTally
    kinds: list[CaseTally]
    townships: list[TownshipTally]


def case_overview(
    *, actor: Actor, project: Project, today: date, village: Area | None = None
) -> CaseOverview:
    """The reader's cases (in one village when given), counted as the dashboard shows them."""
    # The status cases: rectification items have their own account (rectification_overview.py).
    cases = cases_for_actor(actor=actor, project=project).filter(kind__in=STATUS_KINDS)
    if village is not None:
        cases = cases.filter(household__village=village)
    counts = case_counts(cases, today=today)
    total = CaseTally("")
    kinds: dict[str, CaseTally] = {
        str(value): CaseTally(str(Kind(value).label)) for value in STATUS_KINDS
    }
    for count in counts:
        total.add(count)
        kinds[count.kind].add(count)
    return CaseOverview(
        total=total,
        kinds=[tally for tally in kinds.values() if tally.open or tally.approved or tally.rejected],
        townships=_by_township(counts),
    )


def _by_township(counts: list[CaseCount]) -> list[TownshipTally]:
    villages = Area.objects.filter(pk__in={c.village_id for c in counts}).select_related("parent")
    places = {v.pk: v for v in villages}
    by_village: dict[int, CaseTally] = {}
    for count in counts:
        by_village.setdefault(count.village_id, CaseTally(places[count.village_id].name)).add(count)
    townships: dict[str, TownshipTally] = {}
    for village_id in sorted(by_village, key=lambda pk: places[pk].code):
        parent = places[village_id].parent
        name = parent.name if parent else "—"
        township = townships.setdefault(name, TownshipTally(CaseTally(name), []))
        township.villages.append(by_village[village_id])
        township.tally.absorb(by_village[village_id])
    return sorted(townships.values(), key=lambda t: t.tally.name)
