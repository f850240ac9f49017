"""What an approved case does to its household: a category and the monitoring dates, written as
a version of the household's history (backend/households/services.py) that names the case."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from backend.accounts.models import User
from backend.casework.eligibility import is_monitored
from backend.casework.kinds import MONITORED
from backend.casework.models import Case, Kind
from backend.households.models import Household, HouseholdVersion
from backend.households.services import household_status_record


@dataclass(frozen=True)
class Status:
    category: str
    included_on: date | None
    risk_eliminated_on: date | None


def _inclusion(household: Household, case: Case, today: date) -> Status:
    return Status(case.category, today, None)


def _elimination(household: Household, case: Case, today: date) -> Status:
    return Status(household.category, household.included_on, today)


def _new_category(household: Household, case: Case, today: date) -> Status:
    """A return to poverty or a change of category: entering monitoring starts it anew."""
    if case.category in MONITORED and not is_monitored(household):
        return Status(case.category, today, None)
    return Status(case.category, household.included_on, household.risk_eliminated_on)


EFFECTS: dict[str, Callable[[Household, Case, date], Status]] = {
    Kind.INCLUSION: _inclusion,
    Kind.ELIMINATION: _elimination,
    Kind.RETURN_TO_POVERTY: _new_category,
    Kind.CATEGORY_CHANGE: _new_category,
}


def case_effect_apply(case: Case, actor: User, today: date) -> HouseholdVersion:
    """Change the household as the approved case says; return the version it made."""
    household = case.household
    assert household is not None  # a status case is about a household (a check constraint)
    status = EFFECTS[case.kind](household, case, today)
    return household_status_record(
        household=household,
        category=status.category,
        included_on=status.included_on,
        risk_eliminated_on=status.risk_eliminated_on,
        actor=actor,
    )
