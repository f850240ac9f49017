"""Risk elimination (seed 001): household survey with the double-confirmation form → village
appraisal and notice, signed by the five the plan names → township check and announcement →
county approval; refused while a basic need is unmet or the income has not held."""

from datetime import date

import pytest

from backend.casework.errors import CaseRefused, CaseStepIncomplete
from backend.casework.models import CaseState, CaseworkSettings, Decision, Kind, TriggerSource
from backend.casework.services import Trigger, case_open, case_step_decide
from backend.households.models import Category
from backend.monitoring.engine import household_rules_apply
from tests.casework.conftest import approve, fill, household, visit, walk

pytestmark = pytest.mark.django_db


def open_elimination(world, home):
    return case_open(
        household=home,
        kind=Kind.ELIMINATION,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )


def monitored(world, code, **properties):
    return household(world, code, category="monitor_marginal", incomes=(9000, 9500), **properties)


def test_an_elimination_walks_its_four_steps_and_dates_the_household(world, fixed_clock):
    home = monitored(world, "EL-1")
    case = open_elimination(world, home)
    seen = []
    while case.state == CaseState.OPEN:
        seen.append(case.step)
        case = approve(world, case, fixed_clock)

    assert seen == [
        "household_survey",
        "village_appraisal_notice",
        "township_check",
        "county_elimination",
    ]
    home.refresh_from_db()
    assert home.category == Category.MONITOR_MARGINAL  # still watched, its risk eliminated
    assert home.risk_eliminated_on == date(2026, 12, 15)
    assert home.versions.get(version=home.version).case == case


def test_the_village_step_needs_the_five_signatures_the_plan_names(world, fixed_clock):
    case = approve(world, open_elimination(world, monitored(world, "EL-2")))
    fill(world, case)
    case.attachments.filter(signer_role__in=["first_secretary", "household"]).delete()
    fixed_clock.shift(date(2026, 12, 15) - date(2026, 12, 7))
    with pytest.raises(CaseStepIncomplete) as refused:
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    assert refused.value.details == [
        "Missing signature: First secretary of the village.",
        "Missing signature: The household.",
    ]


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        ({"house_grade": "C"}, "Still open: House graded C or D, or leaking or cracked."),
        ({"food_clothing_status": "problem"}, "Still open: Worry about food or clothing."),
        ({"water_status": "problem"}, "Still open: Drinking water not safe."),
    ],
)
def test_an_elimination_is_refused_while_a_basic_need_is_unmet(world, properties, reason):
    home = monitored(world, "EL-3", **properties)
    with pytest.raises(CaseRefused) as refused:
        open_elimination(world, home)
    assert refused.value.details == [reason]


def test_an_elimination_is_refused_until_the_income_has_held_for_the_set_visits(world):
    home = household(world, "EL-4", category="monitor_marginal", incomes=(5000, 9000))
    with pytest.raises(CaseRefused) as refused:
        open_elimination(world, home)
    assert refused.value.details == [
        "The income has not been above the monitoring line at the last 2 visits."
    ]
    CaseworkSettings.objects.create(project=world.project, income_steady_visits=1)
    assert open_elimination(world, home).state == CaseState.OPEN


def test_a_problem_found_during_the_case_stops_its_approval(world, fixed_clock):
    home = monitored(world, "EL-5")
    case = approve(world, open_elimination(world, home))
    visit(home, food_clothing_status="problem")
    home.refresh_from_db()
    household_rules_apply(household=home)
    with pytest.raises(CaseRefused, match="cannot be eliminated"):
        approve(world, case, fixed_clock)


def test_only_a_monitoring_objects_risk_is_eliminated(world):
    with pytest.raises(CaseRefused) as refused:
        open_elimination(world, household(world, "EL-6"))
    assert refused.value.details == ["Only the risk of a monitoring object is eliminated."]


def test_a_household_whose_risk_was_eliminated_may_be_included_again(world, fixed_clock):
    home = monitored(world, "EL-7")
    walk(world, open_elimination(world, home), fixed_clock)
    home.refresh_from_db()
    again = case_open(
        household=home,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_SUDDEN,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )
    walk(world, again, fixed_clock)
    home.refresh_from_db()
    assert home.category == Category.MONITOR_SUDDEN
    assert home.included_on == date(2026, 12, 23)
    assert home.risk_eliminated_on is None
