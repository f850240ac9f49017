"""What a rule's condition reads about a household: its properties as the forms saved them,
the registry's checked columns, and the previous visit's income."""

from decimal import Decimal

from backend.households.models import Household


def household_facts(household: Household) -> dict[str, object]:
    facts: dict[str, object] = dict(household.properties or {})
    # The columns hold only values the registry could use (an out-of-range answer stays in the
    # properties as sent and is flagged by value_out_of_range).
    facts.update(
        income_per_capita=household.income_per_capita,
        income_year=household.income_year,
        house_grade=household.house_grade,
    )
    if household.member_count is not None:
        facts["hh_size"] = household.member_count
    facts.update(_previous_income(household))
    return facts


def _previous_income(household: Household) -> dict[str, object]:
    """The income the version before the current one recorded, if it recorded another one."""
    versions = household.versions.order_by("-version").values_list("data", flat=True)[:2]
    if len(versions) < 2:
        return {}
    before = versions[1] or {}
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
