"""A submission that changed households in two townships shows each reader only their own."""

import pytest
from django.test import Client

from backend.households.models import HouseholdVersion
from backend.submissions.models import Submission
from tests.households.entity_forms import publish_entity_forms, visit_xml


@pytest.fixture
def across_townships(townships, project, alice, phone_of):
    """Worker B's visit of B's household, which also changed A's (as a form with two household
    blocks does)."""
    publish_entity_forms(project, alice)
    assert phone_of(townships.worker_b, visit_xml(str(townships.home_b.uuid), 1)).status_code == 201
    submission = Submission.objects.get()
    HouseholdVersion.objects.create(
        household=townships.home_a, version=2, data={}, received={}, submission=submission
    )
    return submission


def test_the_other_townships_household_is_left_out(client: Client, townships, across_townships):
    client.force_login(townships.supervisor_b)
    url = f"/api/v1/projects/demo/submissions/{across_townships.pk}"
    detail = client.get(url).json()
    assert [h["household"] for h in detail["households"]] == [str(townships.home_b.uuid)]
    listed = client.get("/api/v1/projects/demo/submissions").json()["results"]
    assert listed[0]["households"] == [str(townships.home_b.uuid)]
    assert str(townships.home_a.uuid) not in client.get(url).content.decode()


def test_a_reader_of_both_sees_both(client: Client, alice, townships, across_townships):
    client.force_login(alice)
    detail = client.get(f"/api/v1/projects/demo/submissions/{across_townships.pk}").json()
    assert {h["household"] for h in detail["households"]} == {
        str(townships.home_a.uuid),
        str(townships.home_b.uuid),
    }
