"""What a rule's condition reads about a household: its properties as the forms saved them,
the registry's checked columns, the previous visit's income, and what the departments' latest
files say about its members (`dept_*`, backend/crosscheck/facts.py)."""

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import JSONField, OuterRef, QuerySet, Subquery

from backend.core.compiled_select import CompiledSelect
from backend.crosscheck.facts import households_department_facts
from backend.households.models import Household, HouseholdVersion


def household_facts(
    household: Household, *, dept_sources: list[int] | None = None
) -> dict[str, object]:
    """The facts of the household; `dept_sources`, the newest department files when the
    caller has read them already (backend/crosscheck/facts.py::latest_imports)."""
    return households_facts([household], dept_sources=dept_sources)[household.pk]


def households_facts(
    households: Sequence[Household], *, dept_sources: list[int] | None = None
) -> dict[int, dict[str, object]]:
    """household_facts of each household, by its id: what the others' rows hold is read for
    all of them at once (a department's file checks thousands)."""
    before = _previous_incomes(households)
    departments = households_department_facts(households, sources=dept_sources)
    found = {}
    for household in households:
        facts: dict[str, object] = dict(household.properties or {})
        # The columns hold only values the registry could use (an out-of-range answer stays in
        # the properties as sent and is flagged by value_out_of_range).
        facts.update(
            income_per_capita=household.income_per_capita,
            income_year=household.income_year,
            house_grade=household.house_grade,
        )
        if household.member_count is not None:
            facts["hh_size"] = household.member_count
        facts.update(_previous_income(before.get(household.pk)))
        facts.update(_renovation_history(household))
        facts.update(departments[household.pk])
        found[household.pk] = facts
    return found


# Versions read for a household's renovation history: renovations take a handful of inspections.
_HISTORY = 60


def _renovation_history(household: Household) -> dict[str, object]:
    """Whether an accepted renovation went through appraisal and construction records first,
    and whether the household's own helper sent the acceptance (nobody accepts their own
    work: seed 001, 003)."""
    if (household.properties or {}).get("reno_status") != "accepted":
        return {}
    rows = list(
        household.versions.order_by("-version").values_list("data", "submission__submitted_by_id")[
            :_HISTORY
        ]
    )
    rows.reverse()
    statuses = [(data or {}).get("reno_status", "") for data, _sender in rows]
    accepted_at = _first_acceptance(statuses)
    before = set(statuses[:accepted_at])
    sender = rows[accepted_at][1]
    return {
        "reno_appraised_before": "yes" if "appraised" in before else "no",
        "reno_built_before": "yes" if "in_progress" in before else "no",
        "reno_accepted_by_helper": (
            "yes" if sender is not None and sender == household.helper_id else "no"
        ),
    }


def _first_acceptance(statuses: list[str]) -> int:
    """The index of the version that made the current acceptance (the first of the last run of
    "accepted")."""
    index = len(statuses) - 1
    while index > 0 and statuses[index - 1] == "accepted":
        index -= 1
    return index


def _previous_incomes(households: Sequence[Household]) -> dict[int, dict | None]:
    """The data of each household's version before its current one, for those with two.

    Two rows per household, read backwards from the (household, version) index: a household
    visited every week for years has hundreds of versions, and numbering them all to take the
    second read every one of them, with its data, on every visit."""
    return dict(_PREVIOUS_INCOMES.rows([household.pk for household in households]))


def _previous_incomes_query(household_ids: list[int]) -> QuerySet[Household, tuple[int, dict]]:
    second = (
        HouseholdVersion.objects.filter(household_id=OuterRef("pk"))
        .order_by("-version")
        .values("data")[1:2]
    )
    return (
        Household.objects.filter(pk__in=household_ids)
        .annotate(before=Subquery(second, output_field=JSONField()))
        .filter(before__isnull=False)
        .order_by()
        .values_list("pk", "before")
    )


# Read on every visit's rules run: compiled once per number of households.
_PREVIOUS_INCOMES = CompiledSelect(_previous_incomes_query)


def _previous_income(before: dict | None) -> dict[str, object]:
    """The income the version before the current one recorded, if it recorded another one."""
    if not before:
        return {}
    income, year = _decimal(before.get("income_pc")), before.get("income_year")
    if income is None:
        return {}
    return {"income_before": income, "income_year_before": year}


def _decimal(text: object) -> Decimal | None:
    try:
        number = Decimal(str(text))
    except (ArithmeticError, ValueError):
        return None
    return number if number.is_finite() else None
