"""A return to poverty (seed 003) and a change of category take their own steps from the table."""

from datetime import date

import pytest

from backend.casework.errors import CaseRefused
from backend.casework.models import CaseState, Kind, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Category
from tests.casework.conftest import household, walk

pytestmark = pytest.mark.django_db


def opened(world, home, kind, category):
    return case_open(
        household=home,
        kind=kind,
        category=category,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )


def test_a_household_that_returned_to_poverty_is_monitored_again(world, fixed_clock):
    home = household(world, "RP-1", category="exited", incomes=(9000, 4000))
    case = walk(
        world, opened(world, home, Kind.RETURN_TO_POVERTY, Category.MONITOR_UNSTABLE), fixed_clock
    )
    home.refresh_from_db()
    assert case.state == CaseState.APPROVED
    assert (home.category, home.included_on) == (Category.MONITOR_UNSTABLE, date(2026, 12, 15))
    assert case.steps.count() == 5


def test_a_return_to_poverty_may_register_the_household_as_poor_again(world, fixed_clock):
    home = household(world, "RP-2", category="exited")
    walk(world, opened(world, home, Kind.RETURN_TO_POVERTY, Category.REGISTERED_POOR), fixed_clock)
    home.refresh_from_db()
    assert (home.category, home.included_on) == (Category.REGISTERED_POOR, None)


def test_only_a_household_lifted_out_of_poverty_returns_to_it(world):
    with pytest.raises(CaseRefused) as refused:
        opened(world, household(world, "RP-3"), Kind.RETURN_TO_POVERTY, Category.MONITOR_UNSTABLE)
    assert refused.value.details == ["Only a household lifted out of poverty returns to poverty."]


def test_a_category_change_has_no_notice_and_keeps_the_monitoring_dates(world, fixed_clock):
    home = household(world, "CC-1", category="monitor_marginal")
    case = walk(
        world, opened(world, home, Kind.CATEGORY_CHANGE, Category.MONITOR_SUDDEN), fixed_clock
    )
    home.refresh_from_db()
    assert [row.step for row in case.steps.all()] == [
        "household_check",
        "village_appraisal",
        "township_review",
        "county_approval",
    ]
    assert home.category == Category.MONITOR_SUDDEN
    assert home.included_on is None  # it was monitored before; the case did not include it


def test_a_category_change_to_the_same_category_is_refused(world):
    home = household(world, "CC-2", category="monitor_marginal")
    with pytest.raises(CaseRefused):
        opened(world, home, Kind.CATEGORY_CHANGE, Category.MONITOR_MARGINAL)
