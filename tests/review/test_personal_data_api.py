"""Personal data through the JSON API: masked by default, revealed on request by those allowed,
and every read written to the access log (backend/audit/privacy.py)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from backend.audit.models import AccessKind, AccessLog
from backend.households.models import Household
from backend.submissions.models import Submission
from forms.services import Upload, form_publish
from tests.sync.submissions import multipart

ID_NUMBER = "52010219800101123X"
PHONE = "13912345678"

PERSONAL_FORM = """
| survey |
|        | type         | name                | label   | save_to             |
|        | text         | village             | Village | village             |
|        | text         | hh_code             | Code    | hh_code             |
|        | text         | head_idno           | ID      | head_idno           |
|        | text         | head_phone          | Phone   | head_phone          |
|        | text         | has_serious_illness | Ill     | has_serious_illness |
|        | begin_repeat | members             | Members |                     |
|        | text         | m_idno              | ID      |                     |
|        | text         | m_health            | Health  |                     |
|        | end_repeat   | members             |         |                     |
| entities |
|          | list_name  | label      |
|          | households | ${hh_code} |
| settings |
|          | form_id  | version |
|          | personal | 1       |
"""


@pytest.fixture
def registered(project, alice, areas, collect):
    """A household of the east village registered by Bob's phone with an ID number, a phone
    number and health answers."""
    form_publish(
        project=project, source=Upload("personal.md", PERSONAL_FORM.encode()), published_by=alice
    )
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = (
        f'<data id="personal" version="1"><village>demo-v01</village><hh_code>P-1</hh_code>'
        f"<head_idno>{ID_NUMBER}</head_idno><head_phone>{PHONE}</head_phone>"
        "<has_serious_illness>yes</has_serious_illness>"
        f"<members><m_idno>{ID_NUMBER}</m_idno><m_health>chronic</m_health></members>"
        f"<meta><instanceID>{instance_id}</instanceID>"
        f'<entity dataset="households" create="1" id="{uuid.uuid4()}"><label>P-1</label></entity>'
        "</meta></data>"
    ).encode()
    assert collect("post", "submission", data=multipart(xml)).status_code == 201
    submission = Submission.objects.get(instance_id=instance_id)
    return {"submission": submission, "household": Household.objects.get(code="P-1")}


def _household_url(household) -> str:
    return reverse("api:get_household", args=["demo", household.uuid])


def _submission_url(submission) -> str:
    return reverse("api:get_submission", args=["demo", submission.pk])


def _log():
    return list(AccessLog.objects.order_by("id").values_list("kind", "object_type", "object_id"))


def test_a_supervisors_api_read_is_masked_and_logged(client: Client, east_supervisor, registered):
    household, submission = registered["household"], registered["submission"]
    client.force_login(east_supervisor)

    detail = client.get(_household_url(household)).json()
    answers = client.get(_submission_url(submission)).json()

    assert detail["properties"]["head_idno"] == "**************123X"
    assert detail["properties"]["head_phone"] == "*******5678"
    assert detail["properties"]["has_serious_illness"] == "****"
    assert detail["versions"][0]["received"]["head_idno"] == "**************123X"
    assert answers["fields"]["head_phone"] == "*******5678"
    assert answers["fields"]["members"] == [{"m_idno": "**************123X", "m_health": "****"}]
    for body in (detail, answers):
        assert ID_NUMBER not in str(body)
        assert PHONE not in str(body)
    assert _log() == [
        (AccessKind.VIEW_HOUSEHOLD, "household", str(household.uuid)),
        (AccessKind.VIEW_SUBMISSION, "submission", str(submission.pk)),
    ]
    assert set(AccessLog.objects.values_list("user__username", "detail")) == {("esther", "api")}


def test_reveal_shows_personal_data_to_a_supervisor_and_is_logged_as_a_reveal(
    client: Client, east_supervisor, registered
):
    household, submission = registered["household"], registered["submission"]
    client.force_login(east_supervisor)

    detail = client.get(_household_url(household), {"reveal": "true"}).json()
    answers = client.get(_submission_url(submission), {"reveal": "true"}).json()

    assert detail["properties"]["head_idno"] == ID_NUMBER
    assert answers["fields"]["members"][0]["m_health"] == "chronic"
    assert _log() == [
        (AccessKind.REVEAL, "household", str(household.uuid)),
        (AccessKind.REVEAL, "submission", str(submission.pk)),
    ]


def test_a_field_worker_may_not_reveal_even_what_they_sent(client: Client, bob, registered):
    submission = registered["submission"]
    client.force_login(bob)

    refused = client.get(_submission_url(submission), {"reveal": "true"})
    masked = client.get(_submission_url(submission))

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert masked.json()["fields"]["head_idno"] == "**************123X"
    assert _log() == [(AccessKind.VIEW_SUBMISSION, "submission", str(submission.pk))]


def test_a_supervisor_of_another_township_reads_nothing_and_nothing_is_logged(
    client: Client, project, areas, registered
):
    from tests.factories import MembershipFactory, UserFactory

    west = UserFactory(username="wendy")
    MembershipFactory(project=project, user=west, role="supervisor").areas.add(
        areas["west_township"]
    )
    client.force_login(west)

    assert client.get(_household_url(registered["household"]), {"reveal": "1"}).status_code == 404
    assert client.get(_submission_url(registered["submission"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_list_page_is_logged_in_one_insert_per_page(
    client: Client, sam, homes, registered, django_assert_max_num_queries
):
    client.force_login(sam)

    with django_assert_max_num_queries(20) as queries:
        page = client.get(reverse("api:list_households", args=["demo"]), {"page_size": 2}).json()
    # Read before the next request: Django forgets the queries when one starts.
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    rest = client.get(page["next"].removeprefix("http://testserver")).json()

    assert len(inserts) == 1
    assert "audit_accesslog" in inserts[0]
    codes = [h["code"] for h in page["results"] + rest["results"]]
    logged = AccessLog.objects.filter(kind=AccessKind.VIEW_HOUSEHOLD, detail="api list")
    uuids = {str(h.uuid) for h in Household.objects.filter(code__in=codes)}
    assert set(logged.values_list("object_id", flat=True)) == uuids
    assert logged.count() == 3
