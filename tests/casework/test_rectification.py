"""Rectification items: a household's flag becomes an item with an owner, a measure and a
deadline; the responsible party works it, the township checks it first and the county again
before it is struck off; a rejection at a check returns it with its reason; a later visit that
finds the problem gone passes it to the township, never straight to struck off."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile

from backend.casework.access import cases_for_actor
from backend.casework.documents import case_document_add
from backend.casework.errors import CaseRecordInvalid, CaseRefused, CaseStepIncomplete
from backend.casework.ledger import LedgerFilters, Stage, ledger_row, rectifications_listed
from backend.casework.models import Case, CaseState, Decision, Kind, TriggerSource
from backend.casework.rectification import (
    Assignment,
    rectification_open_for_flag,
    rectification_open_for_village,
)
from backend.casework.services import Trigger, case_open, case_step_decide, case_step_record
from backend.casework.triggers import household_cases_trigger
from backend.core.errors import PermissionDenied
from backend.flags.models import Flag
from backend.households.models import Category
from backend.monitoring.engine import household_rules_apply
from tests.casework.conftest import household
from tests.casework.pages import case_url, signed_in
from tests.casework.test_pipeline_cases import post_visit
from tests.casework.test_pipeline_cases import visit_form as visit_form  # a fixture, used by name

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 12, 31)  # the clock stands at 7 December 2026


def assignment(**changes) -> Assignment:
    values = {
        "measure": "加固屋顶,修补墙体裂缝",
        "responsible_unit": "乡住建所",
        "responsible_person": "张工",
        "deadline": DEADLINE,
        **changes,
    }
    return Assignment(**values)


def unsafe_house(world, code="RX-1", village=None):
    home = household(world, code, village=village, house_grade="D")
    household_rules_apply(household=home)
    return home, home.flags.get(code="house_unsafe", state="open")


def evidence(case, actor):
    case_document_add(
        case=case,
        actor=actor,
        role="evidence",
        file=ContentFile(b"photo of the repaired roof"),
        name="roof.jpg",
        content_type="image/jpeg",
    )


def worked(world, case):
    """The responsible party (the village cadre) records the work and its evidence."""
    case_step_record(
        case=case,
        actor=world.cadre_a1,
        values={"progress": "屋顶已加固", "done_on": "2026-12-20"},
    )
    evidence(case, world.cadre_a1)
    return case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)


def checked(case, actor):
    """The checking level records its check and the evidence of what it saw."""
    evidence(case, actor)
    return case_step_decide(
        case=case,
        actor=actor,
        decision=Decision.APPROVE,
        values={"checked_on": "2026-12-21", "opinion": "整改到位"},
    )


def test_a_flag_becomes_an_item_with_an_owner_and_a_deadline(world):
    home, flag = unsafe_house(world)
    case, opened = rectification_open_for_flag(
        flag=flag, actor=world.places.supervisor_a, assignment=assignment()
    )
    assert opened
    assert (case.kind, case.household, case.flag, case.step, case.level) == (
        Kind.RECTIFICATION,
        home,
        flag,
        "rectify",
        "village",
    )
    # Its due date is the deadline, not a count of working days.
    assert case.due_on == DEADLINE
    record = case.steps.get().record
    assert (record["responsible_unit"], record["responsible_person"], record["deadline"]) == (
        "乡住建所",
        "张工",
        "2026-12-31",
    )
    row = ledger_row(case, today=date(2026, 12, 7))
    assert (row.stage, row.measure, row.deadline, row.overdue) == (
        Stage.TO_DO,
        "加固屋顶,修补墙体裂缝",
        DEADLINE,
        False,
    )
    assert row.problem == "House graded C or D, or leaking or cracked"
    # One item per flag: asking again gives it back.
    again, opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment(measure="另一措施")
    )
    assert (again, opened) == (case, False)


def test_an_item_needs_its_owner_measure_and_a_deadline_not_past(world):
    _home, flag = unsafe_house(world)
    for wrong in (
        assignment(responsible_person=" "),
        assignment(measure=""),
        assignment(deadline=date(2026, 12, 1)),
        assignment(department="police"),
    ):
        with pytest.raises(CaseRecordInvalid):
            rectification_open_for_flag(flag=flag, actor=world.county, assignment=wrong)
    assert not Case.objects.exists()


def test_items_stand_beside_the_households_status_case(world):
    home, flag = unsafe_house(world)
    inclusion = case_open(
        household=home,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.county),
    )
    item, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    home.refresh_from_db()
    assert item != inclusion
    # The phones show the status case, not the item.
    assert home.case_note.startswith("Inclusion")


def test_it_cannot_be_struck_off_without_both_checks(world):
    _home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    # Without the evidence the responsible party cannot pass it on.
    with pytest.raises(CaseStepIncomplete):
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    case = worked(world, case)
    assert (case.state, case.step, case.level) == ("open", "township_first_check", "township")
    # Nobody but the township checks it first, nor the county before the township.
    for someone in (world.cadre_a1, world.county, world.places.worker_a):
        with pytest.raises(PermissionDenied):
            checked(case, someone)
    with pytest.raises(CaseStepIncomplete):
        case_step_decide(case=case, actor=world.places.supervisor_a, decision=Decision.APPROVE)
    case = checked(case, world.places.supervisor_a)
    assert (case.state, case.step, case.level) == ("open", "county_recheck", "county")
    with pytest.raises(PermissionDenied):
        checked(case, world.places.supervisor_a)
    case = checked(case, world.county)
    assert (case.state, case.step) == (CaseState.APPROVED, "")
    row = ledger_row(Case.objects.get(pk=case.pk), today=date(2026, 12, 7))
    assert (row.stage, row.checked_by) == (Stage.STRUCK_OFF, world.county.full_name)
    # Striking an item off changes nothing of the household.
    assert case.household_version is None


def test_each_check_leaves_its_own_evidence(world):
    _home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    case = worked(world, case)
    record = {"checked_on": "2026-12-21", "opinion": "整改到位"}
    for checker in (world.places.supervisor_a, world.county):
        with pytest.raises(CaseStepIncomplete) as refused:
            case_step_decide(case=case, actor=checker, decision=Decision.APPROVE, values=record)
        assert refused.value.details == ["Missing document: Rectification evidence."]
        evidence(case, checker)
        case = case_step_decide(case=case, actor=checker, decision=Decision.APPROVE, values=record)
    assert case.state == CaseState.APPROVED
    assert sorted(case.attachments.values_list("step", flat=True)) == [
        "county_recheck",
        "rectify",
        "township_first_check",
    ]


def test_a_check_that_finds_it_not_done_returns_it_with_the_reason(world):
    _home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    case = worked(world, case)
    case = case_step_decide(
        case=case, actor=world.places.supervisor_a, decision=Decision.RETURN, comment="墙体仍开裂"
    )
    assert (case.step, case.level) == ("rectify", "village")
    waiting = case.steps.get(decision="")
    assert waiting.returned_by.comment == "墙体仍开裂"
    # The record is carried over; the deadline stays as it was set.
    assert waiting.record["deadline"] == "2026-12-31"
    with pytest.raises(CaseRecordInvalid):
        case_step_record(case=case, actor=world.cadre_a1, values={"deadline": "2027-03-01"})
    case = case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    case = checked(case, world.places.supervisor_a)
    case = case_step_decide(
        case=case, actor=world.county, decision=Decision.RETURN, comment="复核未通过"
    )
    assert (case.step, case.level) == ("township_first_check", "township")


def test_a_check_that_rejects_the_work_returns_the_item_and_never_withdraws_it(world):
    _home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    case = worked(world, case)
    with pytest.raises(CaseRecordInvalid):
        case_step_decide(
            case=case, actor=world.places.supervisor_a, decision=Decision.REJECT, comment="未整改"
        )
    assert (Case.objects.get(pk=case.pk).state, case.step) == (
        CaseState.OPEN,
        "township_first_check",
    )
    page = signed_in(world.places.supervisor_a).get(case_url(case))
    assert 'value="reject"' not in page.content.decode()
    assert 'value="return"' in page.content.decode()


def test_an_item_past_its_deadline_is_overdue(world, fixed_clock):
    _home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    fixed_clock.move_to(DEADLINE + timedelta(days=1))
    today = DEADLINE + timedelta(days=1)
    listed = rectifications_listed(
        actor=world.places.supervisor_a,
        project=world.project,
        filters=LedgerFilters(overdue=True),
        today=today,
    )
    assert list(listed) == [case]
    assert ledger_row(listed.get(), today=today).overdue


def test_a_later_visit_that_finds_the_problem_gone_sends_the_item_to_the_township(
    world, visit_form, phone_of
):
    home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment()
    )
    submission = post_visit(
        phone_of,
        visit_form,
        world.places.worker_a,
        home,
        **{"/data/housing/house_grade": "A", "/data/housing/house_defects": "no"},
    )
    flag.refresh_from_db()
    assert (flag.state, flag.closed_by_submission) == ("closed", submission)
    case.refresh_from_db()
    assert (case.state, case.step) == ("open", "township_first_check")
    passed = case.steps.get(step="rectify")
    assert (passed.decision, passed.actor) == ("approve", None)
    assert "found the problem gone" in passed.comment
    # Running the step again moves nothing further.
    household_cases_trigger(household=home, submission=submission, received={})
    case.refresh_from_db()
    assert case.step == "township_first_check"
    assert case.triggers.filter(code="problem_gone").count() == 1


def test_a_village_problem_is_an_item_of_its_village(world):
    case = rectification_open_for_village(
        project=world.project,
        village=world.places.a1,
        actor=world.places.supervisor_a,
        problem="村卫生室无合格村医",
        assignment=assignment(department="medical", responsible_unit="县卫健局"),
    )
    assert (case.household, case.village, case.department) == (None, world.places.a1, "medical")

    def sees(actor):
        return list(cases_for_actor(actor=actor, project=world.project))

    assert sees(world.places.supervisor_a) == sees(world.cadre_a1) == [case]
    assert sees(world.places.supervisor_b) == sees(world.places.worker_a) == []
    assert ledger_row(case, today=date(2026, 12, 7)).problem == "村卫生室无合格村医"
    with pytest.raises(PermissionDenied):
        rectification_open_for_village(
            project=world.project,
            village=world.places.b1,
            actor=world.places.supervisor_a,
            problem="道路损毁",
            assignment=assignment(),
        )


def test_a_closed_flag_or_an_office_outside_the_area_opens_nothing(world):
    _home, flag = unsafe_house(world)
    with pytest.raises(PermissionDenied):
        rectification_open_for_flag(
            flag=flag, actor=world.places.supervisor_b, assignment=assignment()
        )
    Flag.objects.filter(pk=flag.pk).update(state="closed")
    with pytest.raises(CaseRefused):
        rectification_open_for_flag(flag=flag, actor=world.county, assignment=assignment())
    assert not Case.objects.exists()
