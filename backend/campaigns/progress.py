"""How far a campaign has come, for the reader's areas: visited, remaining and problems found
by village and by worker, visits per day, and the households not visited in the visit window.

A household counts as visited when a visit met it inside the window: a version of its record
made by a submission on one of those days (a visit where nobody was met changes no record)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from backend.accounts.access import Actor, areas_within
from backend.areas.models import Area
from backend.campaigns.models import Campaign, CampaignHousehold, NodeKind
from backend.core.days import day_start
from backend.flags.models import Flag
from backend.households.access import households_for_actor
from backend.households.models import HouseholdVersion


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date

    @property
    def since(self) -> datetime:
        return day_start(self.starts_on)

    @property
    def until(self) -> datetime:
        return day_start(self.ends_on + timedelta(days=1))


def visit_window(campaign: Campaign) -> Window:
    node = campaign.nodes.get(kind=NodeKind.VISITS)
    return Window(node.starts_on or node.ends_on, node.ends_on)


def _visits(window: Window) -> QuerySet[HouseholdVersion]:
    return HouseholdVersion.objects.filter(
        household=OuterRef("household"),
        submission__isnull=False,
        created_at__gte=window.since,
        created_at__lt=window.until,
    )


def entries(campaign: Campaign, actor: Actor | None = None) -> QuerySet[CampaignHousehold]:
    """The campaign's households (those the actor sees), each saying whether and when it was
    visited in the window and how many problems were found on it there."""
    window = visit_window(campaign)
    rows = CampaignHousehold.objects.filter(campaign=campaign)
    if actor is not None:
        visible = households_for_actor(actor=actor, project=campaign.project)
        rows = rows.filter(household__in=visible)
    first = _visits(window).order_by().values("household").annotate(first=Min("created_at"))
    problems = Flag.objects.filter(
        household=OuterRef("household"), created_at__gte=window.since, created_at__lt=window.until
    )
    return rows.annotate(
        visited=Exists(_visits(window)),
        visited_at=Subquery(first.values("first")[:1]),
        problems=Subquery(
            problems.order_by().values("household").annotate(n=Count("pk")).values("n")[:1]
        ),
    )


@dataclass(frozen=True)
class Tally:
    name: str
    households: int
    visited: int
    problems: int

    @property
    def remaining(self) -> int:
        return self.households - self.visited

    @property
    def percent(self) -> int:
        return self.visited * 100 // self.households if self.households else 100


@dataclass(frozen=True)
class Progress:
    window: Window
    total: Tally
    villages: list[Tally]
    workers: list[Tally]
    per_day: list[tuple[date, int]]
    unvisited: list[CampaignHousehold]


UNVISITED_SHOWN = 200


def campaign_progress(campaign: Campaign, actor: Actor) -> Progress:
    rows = entries(campaign, actor)
    return Progress(
        window=visit_window(campaign),
        total=_tallies(rows, None, "")[0] if rows.exists() else Tally("", 0, 0, 0),
        villages=_tallies(rows, "household__village__name", "household__village__code"),
        workers=_tallies(rows, "worker__full_name", "worker__username"),
        per_day=_per_day(rows),
        unvisited=list(
            rows.filter(Q(visited=False))
            .select_related("household", "household__village", "worker")
            .order_by("household__village__code", "household__code")[:UNVISITED_SHOWN]
        ),
    )


def _tallies(rows: QuerySet[CampaignHousehold], name: str | None, order: str) -> list[Tally]:
    numbers = {
        "n": Count("pk"),
        "seen": Count("pk", filter=Q(visited=True)),
        "found": Count("pk", filter=Q(problems__gt=0)),
    }
    if name is None:
        totals = rows.aggregate(**numbers)
        return [Tally("", totals["n"], totals["seen"], totals["found"])]
    grouped = rows.order_by().values(name, order).annotate(**numbers).order_by(order)
    return [
        Tally(row[name] or row[order] or "—", row["n"], row["seen"], row["found"])
        for row in grouped
    ]


def _per_day(rows: QuerySet[CampaignHousehold]) -> list[tuple[date, int]]:
    days = (
        rows.filter(Q(visited=True))
        .annotate(day=TruncDate("visited_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in days]


def unvisited_in(campaign: Campaign, area: Area) -> int:
    """How many of the campaign's households in the area were not visited in the window."""
    villages = sorted(areas_within([area.pk]))
    return (
        entries(campaign)
        .filter(household__village_id__in=villages)
        .filter(Q(visited=False))
        .count()
    )


def campaign_areas_below(campaign: Campaign, area: Area) -> list[Area]:
    """The areas one level below `area` holding households of the campaign."""
    villages = sorted(areas_within([area.pk]))
    held = CampaignHousehold.objects.filter(
        campaign=campaign, household__village_id__in=villages
    ).values_list("household__village_id", flat=True)
    village_ids = set(held)
    children = Area.objects.filter(parent=area)
    return [child for child in children if village_ids & areas_within([child.pk])]
