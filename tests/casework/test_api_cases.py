"""The cases API: what waits for the caller (overdue first, escalated ones marked), one case
with its timeline, and a decision, through the real client and a personal token."""

from datetime import timedelta

import pytest
from django.test import Client

from backend.accounts.services import api_token_issue
from backend.casework.models import Kind, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Category
from tests.casework.conftest import approve, fill, household

pytestmark = pytest.mark.django_db

API = "/api/v1/projects/demo/cases"


def call(user, method, path, body=None):
    _, secret = api_token_issue(user=user, name="tests")
    headers = {"Authorization": f"Bearer {secret}"}
    if body is None:
        return getattr(Client(), method)(path, headers=headers)
    return getattr(Client(), method)(
        path, data=body, content_type="application/json", headers=headers
    )


@pytest.fixture
def case(world):
    return case_open(
        household=household(world, "API-1"),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )


def test_the_village_lists_what_waits_for_it_and_the_township_what_is_late(
    world, case, fixed_clock
):
    (row,) = call(world.cadre_a1, "get", API + "/waiting").json()["results"]
    assert (row["id"], row["step"], row["level"], row["due_on"]) == (
        case.pk,
        "household_check",
        "village",
        "2026-12-14",
    )
    assert (row["overdue"], row["escalated"], row["household_code"]) == (False, False, "API-1")
    assert row["step_label"] == "Household check with signed consent"
    assert call(world.places.supervisor_a, "get", API + "/waiting").json()["results"] == []

    fixed_clock.shift(timedelta(days=8))
    (late,) = call(world.places.supervisor_a, "get", API + "/waiting").json()["results"]
    assert (late["id"], late["overdue"], late["escalated"]) == (case.pk, True, True)
    assert call(world.places.admin_b, "get", API + "/waiting").json()["results"] == []


def test_a_case_reads_with_its_timeline_for_those_who_see_it(world, case, mallory):
    response = call(world.places.worker_a, "get", f"{API}/{case.pk}")
    assert response.status_code == 200
    detail = response.json()
    assert (detail["case"]["kind"], detail["may_decide"], detail["case"]["category"]) == (
        "inclusion",
        False,
        "monitor_marginal",
    )
    assert [step["step"] for step in detail["steps"]] == ["household_check"]
    assert detail["triggers"] == [
        {"source": "person", "kind": "inclusion", "code": "", "at": detail["triggers"][0]["at"]}
    ]
    assert call(world.cadre_a1, "get", f"{API}/{case.pk}").json()["may_decide"] is True
    for outsider in (world.places.supervisor_b, world.places.worker_b, mallory):
        assert call(outsider, "get", f"{API}/{case.pk}").status_code == 404


def test_a_return_reaches_the_level_below_with_its_reason(world, case, fixed_clock):
    while case.level != "township":
        case = approve(world, case, fixed_clock)
    response = call(
        world.places.supervisor_a,
        "post",
        f"{API}/{case.pk}/decide",
        {"decision": "return", "comment": "公示照片看不清"},
    )
    assert response.status_code == 200
    after = response.json()["case"]
    assert (after["step"], after["level"]) == ("village_notice", "village")
    seen = call(world.cadre_a1, "get", f"{API}/{case.pk}").json()
    assert seen["returned_reason"] == "公示照片看不清"
    assert seen["steps"][-1]["returned_reason"] == "公示照片看不清"
    assert seen["steps"][-2]["decided_by"] == "supervisor_a"


def test_an_incomplete_step_and_an_early_county_approval_are_refused(world, case, fixed_clock):
    refused = call(world.cadre_a1, "post", f"{API}/{case.pk}/decide", {"decision": "approve"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "case.step_incomplete"
    assert refused.json()["details"] == [
        "Missing: Checked on.",
        "Missing document: Signed consent of the household.",
    ]

    while case.level != "county":
        case = approve(world, case, fixed_clock)
    fill(world, case)
    notice = case.steps.get(step="village_notice")
    notice.record["notice_ends_on"] = "2026-12-31"
    notice.save(update_fields=["record"])
    early = call(world.county, "post", f"{API}/{case.pk}/decide", {"decision": "approve"})
    assert early.status_code == 409
    assert early.json()["code"] == "case.notice_open"


def test_a_field_worker_decides_nothing(world, case):
    response = call(
        world.places.worker_a,
        "post",
        f"{API}/{case.pk}/decide",
        {"decision": "reject", "comment": "x"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == "open"


def test_a_record_is_saved_with_the_decision(world, case):
    response = call(
        world.cadre_a1,
        "post",
        f"{API}/{case.pk}/decide",
        {"decision": "reject", "comment": "户主不同意", "record": {"checked_on": "2026-12-07"}},
    )
    assert response.status_code == 200
    assert response.json()["case"]["state"] == "rejected"
    assert response.json()["steps"][0]["record"] == {"checked_on": "2026-12-07"}
    bad = call(
        world.cadre_a1,
        "post",
        f"{API}/{case.pk}/decide",
        {"decision": "approve", "record": {"x": 1}},
    )
    assert bad.json()["code"] == "case.closed"
