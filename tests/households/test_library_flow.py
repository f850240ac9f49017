"""Register a household with the shipped registration form, then visit it from a second phone
with the shipped home-visit form: one household, two versions, in its worker's list only."""

import uuid

import pytest
from django.test import Client

from backend.accounts.services import device_token_issue
from backend.households.models import Household
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.households.instances import filled_instance
from tests.sync.conftest import COLLECT_HEADERS
from tests.sync.submissions import jpeg, multipart


@pytest.fixture
def library(project, alice):
    return {
        name: form_publish(
            project=project,
            source=Upload(f"{name}.md", (LIBRARY_DIR / f"{name}.md").read_bytes()),
            published_by=alice,
        ).version
        for name in ("hh_registration", "hh_visit")
    }


def post(token: str, xml: bytes, *files):
    with_headers = {**COLLECT_HEADERS}
    return Client().post(
        f"/key/{token}/projects/demo/submission", data=multipart(xml, *files), headers=with_headers
    )


def test_register_then_visit_from_a_second_phone(
    library, project, bob, bob_token, village, django_capture_on_commit_callbacks
):
    entity_id = str(uuid.uuid4())
    registration = filled_instance(
        library["hh_registration"],
        {
            "/data/address/village": "demo-v01",
            "/data/household/hh_code": "DP-100",
            "/data/household/head_name": "王大山",
            "/data/household/category": "monitor_marginal",
            "/data/hh_size": "4",
            "/data/income/income_year": "2025",
            "/data/income/income_pc": "5200",
            "/data/housing/house_grade_save": "C",
            "/data/housing/location": "26.5071 106.7095 1021 4.5",
            "/data/housing/house_photo": "house.jpg",
            "/data/last_visit": "2026-11-20",
        },
        entity={"dataset": "households", "create": "1", "id": entity_id},
        label="DP-100 王*山",
    )
    _, second_phone = device_token_issue(user=bob, project=project, label="second phone")

    with django_capture_on_commit_callbacks(execute=True):
        assert post(bob_token, registration, ("house.jpg", jpeg())).status_code == 201
    household = Household.objects.get(uuid=entity_id)
    visit = filled_instance(
        library["hh_visit"],
        {
            "/data/village": "demo-v01",
            "/data/hh": entity_id,
            "/data/met": "yes",
            "/data/household_size/hh_size": "5",
            "/data/income/income_year": "2026",
            "/data/income/income_pc": "4300",
            "/data/housing/house_grade_save": "D",
            "/data/conclusion/last_visit": "2026-11-23",
            "/data/conclusion/last_outcome": "follow_up",
        },
        entity={"dataset": "households", "id": entity_id, "update": "1", "baseVersion": "1"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post(second_phone, visit).status_code == 201

    household = Household.objects.get(uuid=entity_id)
    assert Household.objects.count() == 1
    assert [v.version for v in household.versions.all()] == [1, 2]
    assert (household.member_count, str(household.income_per_capita)) == (5, "4300.00")
    assert (household.house_grade, household.income_year) == ("D", 2026)
    assert household.properties["last_outcome"] == "follow_up"
    assert household.last_visit_at.date().isoformat() == "2026-11-23"
    assert (household.latitude, household.helper) == (26.5071, bob)
    assert household.conflict == ""
    assert not Submission.objects.exclude(entity_error="").exists()


def test_visit_where_nobody_was_met_leaves_the_household_unchanged(
    library, project, bob, bob_token, village, django_capture_on_commit_callbacks
):
    entity_id = str(uuid.uuid4())
    registration = filled_instance(
        library["hh_registration"],
        {
            "/data/address/village": "demo-v01",
            "/data/household/hh_code": "DP-101",
            "/data/household/head_name": "李四",
            "/data/hh_size": "2",
        },
        entity={"dataset": "households", "create": "1", "id": entity_id},
        label="DP-101 李*",
    )
    # The form sets update="false" when nobody was met (update_if).
    visit = filled_instance(
        library["hh_visit"],
        {"/data/hh": entity_id, "/data/met": "no", "/data/household_size/hh_size": "9"},
        entity={"dataset": "households", "id": entity_id, "update": "false", "baseVersion": "1"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        post(bob_token, registration)
        post(bob_token, visit)

    household = Household.objects.get(uuid=entity_id)
    assert (household.version, household.member_count) == (1, 2)
