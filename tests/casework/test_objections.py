"""Objections to the public notice: each recorded and handled; while one waits, or once one is
upheld, the steps that wait for the notice are not approved."""

from datetime import date, timedelta

import pytest

from backend.casework.errors import CaseRecordInvalid, NoticeNotEnded
from backend.casework.models import Decision, Kind, Outcome, TriggerSource
from backend.casework.objections import notice_objection_record, notice_objection_resolve
from backend.casework.services import Trigger, case_open, case_step_decide
from backend.core.errors import PermissionDenied
from backend.households.models import Category
from tests.casework.conftest import approve, fill, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(world, fixed_clock):
    """An inclusion whose notice is up (from today, the 7th, to the 14th)."""
    case = case_open(
        household=household(world, "OB-1"),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )
    case = approve(world, approve(world, case))
    fill(world, case)
    return case


def objection(world, case, actor=None):
    return notice_objection_record(
        case=case,
        actor=actor or world.cadre_a1,
        received_on=date(2026, 12, 7),
        raised_by="村民张某",
        text="该户家中有经营性收入",
    )


def test_a_pending_objection_holds_the_notice_step(world, noticed, fixed_clock):
    raised = objection(world, noticed)
    fixed_clock.shift(timedelta(days=8))
    with pytest.raises(NoticeNotEnded, match="not been handled"):
        case_step_decide(case=noticed, actor=world.cadre_a1, decision=Decision.APPROVE)

    notice_objection_resolve(
        objection=raised, actor=world.cadre_a1, outcome=Outcome.DISMISSED, note="经核实为务工收入"
    )
    case = case_step_decide(case=noticed, actor=world.cadre_a1, decision=Decision.APPROVE)
    assert case.step == "township_review"


def test_an_upheld_objection_leaves_a_return_or_a_rejection(world, noticed, fixed_clock):
    notice_objection_resolve(
        objection=objection(world, noticed),
        actor=world.places.supervisor_a,
        outcome=Outcome.UPHELD,
        note="经核实有个体工商户",
    )
    fixed_clock.shift(timedelta(days=8))
    with pytest.raises(NoticeNotEnded, match="upheld"):
        case_step_decide(case=noticed, actor=world.cadre_a1, decision=Decision.APPROVE)
    case = case_step_decide(
        case=noticed, actor=world.cadre_a1, decision=Decision.RETURN, comment="重新评议"
    )
    assert case.step == "village_appraisal"


def test_an_objection_raised_after_the_village_holds_the_county(world, noticed, fixed_clock):
    fixed_clock.shift(timedelta(days=8))
    case = case_step_decide(case=noticed, actor=world.cadre_a1, decision=Decision.APPROVE)
    case = approve(world, case)
    assert case.step == "county_approval"
    late = objection(world, case, actor=world.county)
    fill(world, case)
    with pytest.raises(NoticeNotEnded, match="not been handled"):
        case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE)
    notice_objection_resolve(objection=late, actor=world.county, outcome="dismissed", note="不实")
    assert case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE).state == (
        "approved"
    )


def test_an_objection_needs_a_notice_text_and_a_past_date(world, fixed_clock):
    case = case_open(
        household=household(world, "OB-2"),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )
    with pytest.raises(CaseRecordInvalid, match="no public notice"):
        objection(world, case)
    case = approve(world, approve(world, case))
    fill(world, case)
    with pytest.raises(CaseRecordInvalid):
        notice_objection_record(
            case=case, actor=world.cadre_a1, received_on=date(2026, 12, 8), text=""
        )
    with pytest.raises(CaseRecordInvalid, match="future"):
        notice_objection_record(
            case=case,
            actor=world.cadre_a1,
            received_on=date(2026, 12, 8) + timedelta(days=9),
            text="x",
        )


def test_an_objection_is_handled_once_and_with_a_note(world, noticed):
    raised = objection(world, noticed)
    with pytest.raises(CaseRecordInvalid):
        notice_objection_resolve(objection=raised, actor=world.cadre_a1, outcome="upheld", note="")
    notice_objection_resolve(objection=raised, actor=world.cadre_a1, outcome="upheld", note="属实")
    with pytest.raises(CaseRecordInvalid, match="already"):
        notice_objection_resolve(
            objection=raised, actor=world.cadre_a1, outcome="dismissed", note="x"
        )


def test_a_field_worker_records_no_objection(world, noticed):
    with pytest.raises(PermissionDenied):
        objection(world, noticed, actor=world.places.worker_a)
