"""Inclusion as a monitoring object: household check with consent → village appraisal → public
notice → township review → county approval; the household changes only at the end."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from backend.casework.errors import (
    CaseRecordInvalid,
    CaseRefused,
    CaseStepIncomplete,
    NoticeNotEnded,
)
from backend.casework.models import CaseState, Decision, Kind, TriggerSource
from backend.casework.selectors import case_timeline
from backend.casework.services import Trigger, case_open, case_step_decide, case_step_record
from backend.households.models import Category
from tests.casework.conftest import approve, fill, household, walk

pytestmark = pytest.mark.django_db


def open_inclusion(world, home, category=Category.MONITOR_MARGINAL):
    return case_open(
        household=home,
        kind=Kind.INCLUSION,
        category=category,
        reason="收入骤降",
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )


def test_an_inclusion_walks_its_five_steps_and_then_changes_the_household(world, fixed_clock):
    home = household(world, "IN-1")
    case = open_inclusion(world, home)
    assert (case.step, case.level, case.due_on) == (
        "household_check",
        "village",
        date(2026, 12, 14),
    )

    seen = []
    while case.state == CaseState.OPEN:
        seen.append((case.step, case.level))
        home.refresh_from_db()
        assert home.category == Category.ORDINARY  # nothing changes before the county approves
        case = approve(world, case, fixed_clock)

    assert seen == [
        ("household_check", "village"),
        ("village_appraisal", "village"),
        ("village_notice", "village"),
        ("township_review", "township"),
        ("county_approval", "county"),
    ]
    home.refresh_from_db()
    assert case.state == CaseState.APPROVED
    assert home.category == Category.MONITOR_MARGINAL
    assert home.included_on == date(2026, 12, 15)
    assert home.risk_eliminated_on is None
    version = home.versions.get(version=home.version)
    assert version.case == case
    assert version.actor == world.county
    assert version.received["category"] == "monitor_marginal"
    assert version.data["category"] == "monitor_marginal"
    assert [row.decision for row in case_timeline(case)] == [Decision.APPROVE] * 5


def test_an_approved_inclusion_closes_the_not_monitored_flag(world, fixed_clock):
    home = household(world, "IN-2", category="ordinary", incomes=(3000,))
    assert home.flags.filter(code="not_monitored", state="open").exists()
    walk(world, open_inclusion(world, home), fixed_clock)
    assert not home.flags.filter(code="not_monitored", state="open").exists()


def test_a_county_approval_before_the_notice_ends_is_refused(world, fixed_clock):
    case = open_inclusion(world, household(world, "IN-3"))
    for _step in range(2):
        case = approve(world, case)
    fill(world, case)  # the notice runs from today for seven days
    with pytest.raises(NoticeNotEnded):
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    fixed_clock.shift(timedelta(days=7))
    case = case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    case = approve(world, case)
    fill(world, case)
    # The village changes the notice's end after the fact: the county still waits for it.
    notice = case.steps.get(step="village_notice")
    notice.record["notice_ends_on"] = "2026-12-20"
    notice.save()

    with pytest.raises(NoticeNotEnded, match="20 December 2026"):
        case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE)
    case.refresh_from_db()
    assert case.step == "county_approval"
    fixed_clock.shift(timedelta(days=6))
    assert case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE).state == (
        CaseState.APPROVED
    )


def test_a_step_without_what_it_needs_is_not_approved(world):
    case = open_inclusion(world, household(world, "IN-4"))
    with pytest.raises(CaseStepIncomplete) as refused:
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    assert refused.value.details == [
        "Missing: Checked on.",
        "Missing document: Signed consent of the household.",
    ]


def test_an_appraisal_without_a_majority_is_not_approved(world):
    case = approve(world, open_inclusion(world, household(world, "IN-5")))
    fill(world, case)
    with pytest.raises(CaseStepIncomplete) as refused:
        case_step_decide(
            case=case,
            actor=world.cadre_a1,
            decision=Decision.APPROVE,
            values={"votes_for": 15, "votes_against": 14},
        )
    assert refused.value.details == ["The appraisal did not reach a majority of those present."]


def test_a_notice_shorter_than_the_projects_minimum_is_not_approved(world, fixed_clock):
    case = open_inclusion(world, household(world, "IN-6"))
    for _step in range(2):
        case = approve(world, case)
    fill(world, case)
    fixed_clock.shift(timedelta(days=8))
    with pytest.raises(CaseStepIncomplete, match="step cannot be approved") as refused:
        case_step_decide(
            case=case,
            actor=world.cadre_a1,
            decision=Decision.APPROVE,
            values={"notice_ends_on": "2026-12-10"},
        )
    assert refused.value.details == ["A public notice stays up at least 7 days."]


def test_a_monitored_household_is_not_included_again(world):
    home = household(world, "IN-7", category="monitor_marginal")
    with pytest.raises(CaseRefused) as refused:
        open_inclusion(world, home)
    assert refused.value.details == ["The household is already a monitoring object."]


def test_an_inclusion_proposes_a_monitoring_category(world):
    with pytest.raises(CaseRefused):
        open_inclusion(world, household(world, "IN-8"), category=Category.EXITED)


def test_a_second_trigger_joins_the_open_case(world):
    home = household(world, "IN-9")
    first = open_inclusion(world, home)
    again = case_open(
        household=home,
        kind=Kind.RETURN_TO_POVERTY,
        trigger=Trigger(TriggerSource.PERSON, actor=world.county),
    )
    assert again == first
    assert list(first.triggers.values_list("kind", flat=True)) == ["inclusion", "return_to_poverty"]
    assert home.cases.count() == 1


def test_a_refusal_reads_in_chinese(world):
    case = open_inclusion(world, household(world, "IN-10"))
    with translation.override("zh-hans"), pytest.raises(CaseStepIncomplete) as refused:
        case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    assert str(refused.value) == "本环节暂不能通过。"
    assert refused.value.details == ["缺少：核查日期。", "缺少材料：农户签字的申请或同意书。"]


def test_a_record_takes_only_the_steps_fields_each_of_its_type(world):
    case = open_inclusion(world, household(world, "IN-11"))
    with pytest.raises(CaseRecordInvalid) as refused:
        case_step_record(
            case=case,
            actor=world.cadre_a1,
            values={"checked_on": "7 December", "votes_for": 3},
        )
    assert refused.value.details == [
        "Checked on: the value is not acceptable.",
        "votes_for is not recorded at this step.",
    ]
    case = approve(world, case)
    for values in ({"attendance": -1}, {"attendance": "12a"}, {"minutes": {"text": "x"}}):
        with pytest.raises(CaseRecordInvalid):
            case_step_record(case=case, actor=world.cadre_a1, values=values)
    row = case_step_record(case=case, actor=world.cadre_a1, values={"attendance": "30"})
    assert row.record == {"attendance": 30}
    row = case_step_record(case=case, actor=world.cadre_a1, values={"attendance": ""})
    assert row.record == {}
