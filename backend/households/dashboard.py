"""What a project's dashboard shows, for the households and submissions the viewer may see."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.core.days import day_start
from backend.flags.catalogue import FLAGS, flag_label
from backend.flags.selectors import households_flagged
from backend.households.access import households_for_actor
from backend.households.models import Category, Household
from backend.households.statistics import (
    Row,
    default_lines,
    household_seen,
    overdue_condition,
    village_statistics,
)
from backend.households.submission_access import submissions_for_actor
from backend.projects.models import Project

OVERDUE_SHOWN = 20


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass
class Dashboard:
    households: int
    categories: list[Tally]
    flags: list[Tally]
    overdue: int
    most_overdue: list[Household]
    per_day: list[tuple[date, int]]
    villages: list[Row]
    lines: list[Decimal]
    income_year: int | None = None
    flagged_households: int = 0  # households with at least one open flag


def dashboard_lines(project: Project) -> list[Decimal]:
    """The screening lines of the statistics: the usual ones and the project's monitoring line."""
    line = project.monitoring_line
    # 6000.00 → 6000 (not 6E+3) so that the column reads, and matches the default lines.
    plain = line.to_integral_value() if line == line.to_integral_value() else line.normalize()
    return sorted({*default_lines(), plain})


def project_dashboard(
    *,
    actor: Actor,
    project: Project,
    village: Area | None = None,
    income_year: int | None = None,
    days: int = 30,
) -> Dashboard:
    """Counts by category, open flags by code, overdue visits and submissions per day; with
    `income_year`, of the households whose income is of that year.

    The totals are sums of the village table (one pass over the households and one over the
    index of open flags), not counted again.
    """
    households = households_for_actor(actor=actor, project=project)
    if village is not None:
        households = households.filter(village=village)
    lines = dashboard_lines(project)
    villages = village_statistics(households, project=project, lines=lines, income_year=income_year)
    return Dashboard(
        households=_total(villages, "households"),
        categories=[
            Tally(value, str(label), _total(villages, f"category_{value}"))
            for value, label in Category.choices
        ],
        flags=_open_flags(villages, project.pk),
        overdue=_total(villages, "overdue"),
        most_overdue=most_overdue(households, project),
        per_day=submissions_per_day(actor=actor, project=project, village=village, days=days),
        villages=villages,
        lines=lines,
        income_year=income_year,
        flagged_households=households_flagged(households),
    )


def most_overdue(households: QuerySet[Household], project: Project) -> list[Household]:
    """The households longest without a visit, in the order of the index on that date."""
    seen = household_seen()
    overdue = households.filter(overdue_condition(project)).order_by(seen.asc())
    return list(overdue.select_related("village", "helper")[:OVERDUE_SHOWN])


def _total(villages: list[Row], key: str) -> int:
    return sum(row[key] for row in villages)


def _open_flags(villages: list[Row], project_id: int) -> list[Tally]:
    counts: dict[str, int] = {}
    for row in villages:
        for key, value in row.items():
            if key.startswith("flag_") and value:
                code = key.removeprefix("flag_")
                counts[code] = counts.get(code, 0) + value
    codes = sorted(counts, key=lambda code: (-counts[code], code not in FLAGS, code))
    return [Tally(code, flag_label(code, project_id), counts[code]) for code in codes]


def submissions_per_day(
    *, actor: Actor, project: Project, village: Area | None, days: int
) -> list[tuple[date, int]]:
    """Submissions received on each of the last `days` days (in the server's time zone)."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    # On created_at itself (not its date) so that the index on received times serves it.
    since = day_start(first)
    submissions = submissions_for_actor(actor, project).filter(
        is_current=True, created_at__gte=since
    )
    if village is not None:
        submissions = submissions.filter(village=village)
    counts = dict(
        submissions.order_by()
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("*"))
    )
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)
    ]


def income_years(*, actor: Actor, project: Project) -> list[int]:
    """The years of the incomes recorded on the households the viewer may see, latest first."""
    households = households_for_actor(actor=actor, project=project)
    years = households.exclude(income_year=None).order_by("-income_year")
    return [year for year in years.values_list("income_year", flat=True).distinct() if year]
