"""The two rules that are not conditions: each reads something a condition cannot."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from backend.households.models import Household
from backend.households.properties import numbers_out_of_range

Evidence = dict[str, object]


def renovation_area(household: Household) -> Evidence | None:
    """A rebuilt or new house smaller or larger than the standard for the household's size: the
    standard is a table of the project's settings (the form warns about the cap but lets the
    inspector record what was built)."""
    props = household.properties
    area, persons = _decimal(props.get("reno_area", "")), _integer(props.get("hh_size", ""))
    if area is None or not persons or props.get("reno_method", "") in {"", "reinforce"}:
        return None
    last_resort = "yes" in {props.get("dibao"), props.get("extreme_poor")}
    minimum, maximum = household.project.renovation_area_range(persons, last_resort=last_resort)
    if minimum <= area <= maximum:
        return None
    return {
        "area_m2": f"{area:g}",
        "persons": persons,
        "min_m2": minimum,
        "max_m2": maximum,
        "last_resort": last_resort,
    }


def value_out_of_range(household: Household) -> Evidence | None:
    """A number the registry cannot use (kept as sent, its column left as it was): someone must
    correct it before the household's income or size counts again."""
    found = numbers_out_of_range(household.properties)
    if not found:
        return None
    return {"values": ", ".join(f"{prop} = {text}" for prop, text in found.items())}


BUILTINS: dict[str, Callable[[Household], Evidence | None]] = {
    "reno_area": renovation_area,
    "value_out_of_range": value_out_of_range,
}


def _decimal(text: object) -> Decimal | None:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _integer(text: object) -> int | None:
    text = str(text)
    return int(text) if text.isascii() and text.isdigit() else None
