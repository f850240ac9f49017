"""Monitoring rules: after each change of a household, open the flags whose condition holds and
close the ones whose condition has gone. Thresholds are project settings (Project model)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from backend.flags.models import FlagState
from backend.flags.services import flag_close, flag_open
from backend.households.models import Household
from backend.households.properties import numbers_out_of_range
from backend.submissions.models import Submission

Evidence = dict[str, object]
Check = Callable[[Household], Evidence | None]


def _income_below_line(household: Household) -> Evidence | None:
    income, line = household.income_per_capita, household.project.monitoring_line
    if income is None or income >= line:
        return None
    return {
        "income_per_capita": f"{income:.2f}",
        "line": f"{line:.2f}",
        "year": household.income_year,
    }


def _house_unsafe(household: Household) -> Evidence | None:
    renovation = household.properties.get("reno_status", "")
    if household.house_grade not in {"C", "D"} or renovation == "accepted":
        return None
    return {"house_grade": household.house_grade, "reno_status": renovation}


def _renovation_area(household: Household) -> Evidence | None:
    """A rebuilt or new house smaller or larger than the standard for the household's size (the
    form warns about the cap but lets the inspector record what was built)."""
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


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _integer(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _status_problem(prop: str) -> Check:
    """The forms compute these guarantees as ok / problem from the concrete questions."""

    def check(household: Household) -> Evidence | None:
        value = household.properties.get(prop, "")
        return {prop: value} if value == "problem" else None

    return check


def _value_out_of_range(household: Household) -> Evidence | None:
    """A number the registry cannot use (kept as sent, its column left as it was): someone must
    correct it before the household's income or size counts again."""
    found = numbers_out_of_range(household.properties)
    if not found:
        return None
    return {"values": ", ".join(f"{prop} = {text}" for prop, text in found.items())}


@dataclass(frozen=True)
class Rule:
    code: str
    check: Check


RULES = (
    Rule("income_below_line", _income_below_line),
    Rule("house_unsafe", _house_unsafe),
    Rule("reno_area", _renovation_area),
    Rule("school_dropout", _status_problem("edu_status")),
    Rule("medical_care", _status_problem("med_status")),
    Rule("drinking_water", _status_problem("water_status")),
    Rule("food_clothing", _status_problem("food_clothing_status")),
    Rule("value_out_of_range", _value_out_of_range),
)


def household_rules_apply(
    *, household: Household, submission: Submission | None = None
) -> tuple[list[str], list[str]]:
    """Evaluate every rule on the household; return the codes opened and closed."""
    open_flags = {f.code: f for f in household.flags.filter(state=FlagState.OPEN)}
    opened, closed = [], []
    for rule in RULES:
        evidence = rule.check(household)
        if evidence is not None:
            if flag_open(
                household=household, code=rule.code, evidence=evidence, submission=submission
            ):
                opened.append(rule.code)
        elif rule.code in open_flags:
            flag_close(flag=open_flags[rule.code], submission=submission)
            closed.append(rule.code)
    return opened, closed
