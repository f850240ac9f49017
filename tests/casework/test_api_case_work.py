"""The rest of the cases API, through the real client and a personal token: the cases a person
sees, a case opened by hand, a step's record saved, documents added and downloaded (logged),
objections recorded and handled."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.accounts.services import api_token_issue
from backend.audit.models import AccessLog
from backend.casework.models import Kind, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Category
from tests.casework.conftest import approve, household
from tests.casework.test_api_cases import API, call

pytestmark = pytest.mark.django_db


def upload(user, path, data):
    _, secret = api_token_issue(user=user, name="tests")
    return Client().post(path, data=data, headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def case(world):
    return case_open(
        household=household(world, "WORK-1"),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )


def test_a_cadre_opens_a_case_by_hand_and_a_second_request_joins_it(world):
    target = household(world, "HAND-1")
    body = {
        "household": str(target.uuid),
        "kind": "inclusion",
        "category": "monitor_sudden",
        "reason": "户主突发重病,医疗支出大",
    }
    opened = call(world.cadre_a1, "post", API, body)
    assert opened.status_code == 201
    case = opened.json()["case"]
    assert (case["kind"], case["category"], case["step"]) == (
        "inclusion",
        "monitor_sudden",
        "household_check",
    )
    assert opened.json()["reason"] == "户主突发重病,医疗支出大"

    again = call(world.places.supervisor_a, "post", API, {**body, "reason": "乡镇复核"})
    assert again.status_code == 200
    assert again.json()["case"]["id"] == case["id"]
    assert [t["source"] for t in again.json()["triggers"]] == ["person", "person"]


def test_opening_by_hand_is_for_the_offices_of_the_households_area(world, mallory):
    target = household(world, "HAND-2")
    body = {"household": str(target.uuid), "kind": "inclusion", "reason": "申请"}
    assert call(world.places.worker_a, "post", API, body).status_code == 403
    assert call(world.cadre_b1, "post", API, body).status_code == 404
    assert call(mallory, "post", API, body).status_code == 404
    assert not target.cases.exists()
    refused = call(world.cadre_a1, "post", API, {**body, "kind": "elimination"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "case.refused"
    assert not target.cases.exists()


def test_the_list_narrows_by_state_level_village_and_overdue(world, case, fixed_clock):
    other = case_open(
        household=household(world, "WORK-2", village=world.places.b1),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_b1),
    )
    ids = lambda user, query="": [  # noqa: E731
        row["id"] for row in call(user, "get", f"{API}?{query}").json()["results"]
    ]
    assert ids(world.county) == [other.pk, case.pk]
    assert ids(world.places.supervisor_a) == [case.pk]
    assert ids(world.county, f"village={world.places.b1.code}") == [other.pk]
    assert ids(world.county, "level=township") == []
    assert ids(world.county, "overdue=true") == []
    fixed_clock.shift(timedelta(days=8))
    assert ids(world.county, "overdue=true") == [other.pk, case.pk]
    assert call(world.county, "get", f"{API}?state=lost").status_code == 422


def test_a_steps_record_is_saved_without_a_decision(world, case):
    saved = call(
        world.cadre_a1, "post", f"{API}/{case.pk}/record", {"record": {"checked_on": "2026-12-07"}}
    )
    assert saved.status_code == 200
    assert saved.json()["steps"][-1]["record"] == {"checked_on": "2026-12-07"}
    assert saved.json()["steps"][-1]["decision"] == ""
    bad = call(world.cadre_a1, "post", f"{API}/{case.pk}/record", {"record": {"checked_on": "x"}})
    assert bad.status_code == 400
    township = call(world.places.supervisor_a, "post", f"{API}/{case.pk}/record", {"record": {}})
    assert township.status_code == 403


def test_a_document_is_added_to_the_waiting_step_and_its_download_is_logged(world, case):
    added = upload(
        world.cadre_a1,
        f"{API}/{case.pk}/documents",
        {
            "role": "consent",
            "file": SimpleUploadedFile("同意书.jpg", b"\xff\xd8scan", "image/jpeg"),
        },
    )
    assert added.status_code == 201, added.content
    document = added.json()
    assert (document["step"], document["role"], document["name"], document["size"]) == (
        "household_check",
        "consent",
        "同意书.jpg",
        6,
    )
    got = call(world.places.worker_a, "get", f"{API}/{case.pk}/documents/{document['id']}")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == b"\xff\xd8scan"
    assert "attachment" in got["Content-Disposition"]
    log = AccessLog.objects.get(kind="view_case_doc")
    assert (log.user, log.object_id) == (world.places.worker_a, str(document["id"]))
    assert (
        call(world.cadre_b1, "get", f"{API}/{case.pk}/documents/{document['id']}").status_code
        == 404
    )


def test_an_uploaded_page_is_never_served_as_a_page(world, case):
    added = upload(
        world.cadre_a1,
        f"{API}/{case.pk}/documents",
        {"role": "other", "file": SimpleUploadedFile("x.html", b"<script>", "text/html")},
    )
    got = call(world.cadre_a1, "get", f"{API}/{case.pk}/documents/{added.json()['id']}")
    assert got["Content-Type"] == "application/octet-stream"


def test_a_signature_names_a_signatory_of_the_step(world, case):
    refused = upload(
        world.cadre_a1,
        f"{API}/{case.pk}/documents",
        {"role": "signature", "file": SimpleUploadedFile("s.png", b"png", "image/png")},
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "case.invalid"
    assert not case.attachments.exists()


def test_an_objection_is_recorded_and_handled(world, case, fixed_clock):
    while case.step != "village_notice":
        case = approve(world, case, fixed_clock)
    too_early = call(
        world.cadre_a1,
        "post",
        f"{API}/{case.pk}/objections",
        {"received_on": "2026-12-08", "text": "x"},
    )
    assert too_early.status_code == 400  # no notice posted yet
    call(
        world.cadre_a1,
        "post",
        f"{API}/{case.pk}/record",
        {"record": {"notice_starts_on": "2026-12-07", "notice_ends_on": "2026-12-14"}},
    )
    recorded = call(
        world.places.supervisor_a,
        "post",
        f"{API}/{case.pk}/objections",
        {"received_on": "2026-12-07", "raised_by": "村民李四", "text": "该户有在外务工收入"},
    )
    assert recorded.status_code == 201
    objection = recorded.json()
    assert objection["outcome"] == "pending"
    resolved = call(
        world.cadre_a1,
        "post",
        f"{API}/{case.pk}/objections/{objection['id']}/resolve",
        {"outcome": "dismissed", "note": "核实务工收入已计入"},
    )
    assert resolved.status_code == 200
    assert (resolved.json()["outcome"], resolved.json()["outcome_note"]) == (
        "dismissed",
        "核实务工收入已计入",
    )
    again = call(
        world.cadre_a1,
        "post",
        f"{API}/{case.pk}/objections/{objection['id']}/resolve",
        {"outcome": "upheld", "note": "x"},
    )
    assert again.status_code == 400
    assert (
        call(
            world.places.worker_a,
            "post",
            f"{API}/{case.pk}/objections",
            {"received_on": "2026-12-07", "text": "x"},
        ).status_code
        == 403
    )
