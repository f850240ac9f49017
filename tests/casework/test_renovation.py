"""Renovations as cases: appraisal → plan → before → during → after, accepted by the township
then the county and never by the household's own helper; the move-in deadline; the subsidy
paid only after the county's acceptance; the priority groups."""

from datetime import date
from decimal import Decimal

import pytest

from backend.casework.errors import (
    CaseStepIncomplete,
    CaseStepNotWaiting,
    OwnHelperRefused,
    RenovationNotAccepted,
)
from backend.casework.models import CaseState, Decision
from backend.casework.renovation import (
    Payment,
    renovation_move_in,
    renovation_open,
    renovation_pay,
    renovation_stage_record,
)
from backend.casework.renovation_models import Renovation
from backend.casework.services import case_step_decide
from backend.core.errors import PermissionDenied
from backend.households.models import Category
from tests.casework.renovation import (
    CHECK,
    PLAN,
    accepted,
    appraised_and_planned,
    built,
    dangerous_house,
    opened,
    stage,
)

pytestmark = pytest.mark.django_db


def test_a_renovation_goes_through_its_steps_and_the_county_accepts_it(world):
    case = accepted(world, opened(world))
    assert case.state == CaseState.APPROVED
    assert list(case.steps.values_list("step", flat=True)) == [
        "appraisal", "plan", "before", "during", "after", "township_acceptance",
        "county_acceptance",
    ]  # fmt: skip
    renovation = Renovation.objects.get(case=case)
    assert (renovation.grade, renovation.method) == ("D", "rebuild")
    assert renovation.move_in_by == date(2027, 6, 30)


def test_a_stage_out_of_order_is_refused_and_changes_nothing(world):
    case = opened(world)
    appraised_and_planned(world, case)
    with pytest.raises(CaseStepNotWaiting) as refused:
        renovation_stage_record(
            case=case, actor=world.cadre_a1, stage="during", values={"progress": "roof"}
        )
    assert "Before the works" in str(refused.value)
    assert refused.value.status == 409
    case.refresh_from_db()
    assert case.step == "before"
    assert not case.steps.filter(step="during").exists()


def test_a_stage_needs_a_visit_or_a_photo_of_the_house(world):
    case = opened(world)
    appraised_and_planned(world, case)
    with pytest.raises(CaseStepIncomplete) as refused:
        renovation_stage_record(
            case=case, actor=world.cadre_a1, stage="before", values={"seen_on": "2026-12-07"}
        )
    assert any("No visit of this stage" in detail for detail in refused.value.details)


def test_the_appraisal_needs_its_report(world):
    case = opened(world)
    with pytest.raises(CaseStepIncomplete) as refused:
        case_step_decide(
            case=case,
            actor=world.cadre_a1,
            decision=Decision.APPROVE,
            values={"grade": "D", "appraised_on": "2026-11-20", "appraised_by": "李工"},
        )
    assert any("Appraisal report" in detail for detail in refused.value.details)


def test_a_grade_c_house_not_reinforced_needs_a_reason(world):
    case = opened(world)
    from tests.casework.conftest import attach

    attach(case, world.cadre_a1, "appraisal_report")
    case_step_decide(
        case=case,
        actor=world.cadre_a1,
        decision=Decision.APPROVE,
        values={"grade": "C", "appraised_on": "2026-11-20", "appraised_by": "李工"},
    )
    with pytest.raises(CaseStepIncomplete) as refused:
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE, values=PLAN)
    assert refused.value.details == ["A grade-C house that is not reinforced needs a reason."]
    case = case_step_decide(
        case=case,
        actor=world.cadre_a1,
        decision=Decision.APPROVE,
        values={**PLAN, "method_reason": "地基下沉,加固无价值"},
    )
    assert case.step == "before"


def test_the_households_own_helper_cannot_accept_its_renovation(world):
    case = opened(world)
    home = case.household
    # The township's supervisor is also the household's helper.
    home.helper = world.places.supervisor_a
    home.save(update_fields=["helper"])
    built(world, case)
    with pytest.raises(OwnHelperRefused) as refused:
        case_step_decide(
            case=case, actor=world.places.supervisor_a, decision=Decision.APPROVE, values=CHECK
        )
    assert refused.value.status == 403
    case.refresh_from_db()
    assert case.step == "township_acceptance"
    assert not case.steps.filter(step="township_acceptance").exclude(decision="").exists()


def test_a_field_worker_cannot_decide_an_acceptance(world):
    case = built(world, opened(world))
    with pytest.raises(PermissionDenied):
        case_step_decide(
            case=case, actor=world.places.worker_a, decision=Decision.APPROVE, values=CHECK
        )


def test_payment_before_the_county_acceptance_is_refused(world):
    case = built(world, opened(world))
    case_step_decide(
        case=case, actor=world.places.supervisor_a, decision=Decision.APPROVE, values=CHECK
    )
    payment = Payment(amount=Decimal("35000"), paid_on=date(2026, 12, 7))
    with pytest.raises(RenovationNotAccepted):
        renovation_pay(case=case, actor=world.county, payment=payment)
    assert Renovation.objects.get(case=case).paid_on is None
    case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE, values=CHECK)
    paid = renovation_pay(case=case, actor=world.county, payment=payment)
    assert (paid.subsidy_amount, paid.paid_on) == (Decimal("35000"), date(2026, 12, 7))


def test_only_the_county_records_the_payment(world):
    case = accepted(world, opened(world))
    payment = Payment(amount=Decimal("35000"), paid_on=date(2026, 12, 7))
    with pytest.raises(PermissionDenied):
        renovation_pay(case=case, actor=world.places.supervisor_a, payment=payment)


def test_the_move_in_deadline_is_flagged_once_passed(world):
    case = opened(world)
    appraised_and_planned(world, case, plan={**PLAN, "move_in_by": "2026-12-31"})
    renovation = Renovation.objects.get(case=case)
    assert not renovation.move_in_overdue(date(2026, 12, 31))
    assert renovation.move_in_overdue(date(2027, 1, 1))
    with pytest.raises(RenovationNotAccepted):
        renovation_move_in(case=case, actor=world.cadre_a1, moved_in_on=date(2026, 12, 7))
    stage(world, case, "before")
    stage(world, case, "during", progress="roof")
    stage(world, case, "after", grade_after="A")
    moved = renovation_move_in(case=case, actor=world.cadre_a1, moved_in_on=date(2026, 12, 7))
    assert not moved.move_in_overdue(date(2027, 1, 1))


def test_the_priority_groups_are_marked_when_the_renovation_opens(world):
    home = dangerous_house(world, "RN-P", dibao="yes", has_disabled="yes")
    home.category = Category.REGISTERED_POOR
    home.save(update_fields=["category"])
    case, opened_now = renovation_open(household=home, actor=world.cadre_a1)
    assert opened_now
    assert sorted(Renovation.objects.get(case=case).priority_groups) == [
        "dibao",
        "disabled",
        "registered",
    ]
    again, opened_again = renovation_open(household=home, actor=world.cadre_a1)
    assert (again.pk, opened_again) == (case.pk, False)
