"""A return sends the case one level down, with its reason for the level below; a rejection
closes it and leaves the household as it was."""

from datetime import date

import pytest

from backend.casework.errors import CaseRecordInvalid
from backend.casework.kinds import return_target
from backend.casework.models import CaseState, Decision, Kind, TriggerSource
from backend.casework.selectors import case_timeline, returned_reason
from backend.casework.services import Trigger, case_open, case_step_decide
from backend.households.models import Category
from tests.casework.conftest import approve, household

pytestmark = pytest.mark.django_db


def at_step(world, code, clock, kind=Kind.INCLUSION, category=Category.MONITOR_MARGINAL):
    case = case_open(
        household=household(world, f"RT-{code}"),
        kind=kind,
        category=category,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )
    while case.step != code:
        case = approve(world, case, clock)
    return case


@pytest.mark.parametrize(
    ("kind", "step", "target"),
    [
        ("inclusion", "county_approval", "township_review"),
        ("inclusion", "township_review", "village_notice"),
        ("inclusion", "village_notice", "village_appraisal"),
        ("inclusion", "household_check", None),
        ("elimination", "county_elimination", "township_check"),
        ("elimination", "township_check", "village_appraisal_notice"),
        ("category_change", "township_review", "village_appraisal"),
    ],
)
def test_a_return_goes_back_one_level(kind, step, target):
    found = return_target(kind, step)
    assert (found.code if found else None) == target


def test_a_county_return_reaches_the_township_with_its_reason(world, fixed_clock):
    case = at_step(world, "county_approval", fixed_clock)
    case = case_step_decide(
        case=case, actor=world.county, decision=Decision.RETURN, comment="公示照片不清晰"
    )
    assert (case.step, case.level, case.state) == ("township_review", "township", CaseState.OPEN)
    assert returned_reason(case) == "公示照片不清晰"
    # The township's earlier opinion is there to change, not to type again.
    assert case.steps.get(decision="").record == {"opinion": "同意"}

    case = approve(world, case)
    assert case.step == "county_approval"
    assert returned_reason(case) == ""
    steps = [(row.step, row.decision) for row in case_timeline(case)]
    assert steps[-3:] == [
        ("county_approval", "return"),
        ("township_review", "approve"),
        ("county_approval", ""),
    ]


def test_a_township_return_reaches_the_village_notice(world, fixed_clock):
    case = at_step(world, "township_review", fixed_clock)
    case = case_step_decide(
        case=case, actor=world.places.supervisor_a, decision=Decision.RETURN, comment="补充材料"
    )
    assert (case.step, case.level) == ("village_notice", "village")
    assert returned_reason(case) == "补充材料"
    assert case.due_on == date(2026, 12, 18)  # three working days from today, the 15th


def test_a_return_or_a_rejection_says_why(world, fixed_clock):
    case = at_step(world, "township_review", fixed_clock)
    for decision in (Decision.RETURN, Decision.REJECT):
        with pytest.raises(CaseRecordInvalid, match="Say why"):
            case_step_decide(case=case, actor=world.places.supervisor_a, decision=decision)


def test_the_first_step_is_rejected_not_returned(world, fixed_clock):
    case = at_step(world, "household_check", fixed_clock)
    with pytest.raises(CaseRecordInvalid, match="nothing to return to"):
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.RETURN, comment="x")


def test_a_rejected_case_leaves_the_household_as_it_was(world, fixed_clock):
    case = at_step(world, "county_approval", fixed_clock)
    case = case_step_decide(
        case=case, actor=world.county, decision=Decision.REJECT, comment="不符合条件"
    )
    assert (case.state, case.step, case.level, case.due_on) == (CaseState.REJECTED, "", "", None)
    case.household.refresh_from_db()
    assert case.household.category == Category.ORDINARY
    assert case.household.included_on is None
    assert case.household_version is None
