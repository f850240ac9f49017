"""The review queue and the API's submission list are one selector behind two interfaces: for the
same filters they list the same submissions (each in its own order)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.flags.models import Flag
from backend.flags.services import flag_clear
from backend.submissions.models import ReviewState, Submission
from tests.api.conftest import api

TODAY = "today"
CASES = [
    {},
    {"flag": "photo_duplicate"},
    {"flag": "gps_outside_village"},  # cleared below: no longer open
    {"flag": "photo_no_exif"},
    {"village": "east"},
    {"village": "west"},
    {"state": ReviewState.APPROVED},
    {"state": ReviewState.RECEIVED, "village": "east"},
    {"form": True},
    {"since": TODAY, "until": TODAY},
    {"since": "2000-01-01", "until": "2000-01-02"},
    {"form": True, "flag": "photo_no_exif", "village": "west"},
]


def _page_params(case, areas, inspection):
    params = {"state": case.get("state", "all")}
    if "village" in case:
        params["village"] = areas[case["village"]].pk
    if "form" in case:
        params["form"] = inspection.form_id
    if "flag" in case:
        params["flag"] = case["flag"]
    for ours, theirs in (("since", "date_from"), ("until", "date_to")):
        if ours in case:
            params[theirs] = _day(case[ours])
    return params


def _api_params(case, areas, inspection):
    params = {}
    if "state" in case:
        params["review_state"] = case["state"]
    if "village" in case:
        params["village"] = areas[case["village"]].code
    if "form" in case:
        params["form"] = inspection.form.xml_form_id
    for key in ("flag", "since", "until"):
        if key in case:
            params[key] = _day(case[key]) if key != "flag" else case[key]
    return params


def _day(value):
    return timezone.localdate().isoformat() if value == TODAY else value


def _queue_ids(client, params):
    response = client.get(reverse("review:queue", args=["demo"]), params)
    assert response.status_code == 200
    # A village outside the reader's areas is not among the choices: the page lists nothing.
    assert set(response.context["filters"].errors) <= {"village"}
    return {row.pk for row in response.context["page"].object_list}


def _api_ids(user, params):
    response = api(user).get(reverse("api:list_submissions", kwargs={"slug": "demo"}), params)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def history(flagged, homes, inspect, sam):
    """More for the filters to tell apart: an approved inspection, a flag a supervisor cleared."""
    approved = inspect(homes["east"], color=(30, 30, 200), photo_name="again.jpg")
    Submission.objects.filter(pk=approved.pk).update(review_state=ReviewState.APPROVED)
    flag_clear(
        flag=Flag.objects.get(submission=flagged["risky"], code="gps_outside_village"),
        actor=sam,
        note="the house is at the village's edge",
    )
    return {**flagged, "approved": approved}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("who", ["sam", "east_supervisor"])
def test_the_queue_and_the_api_list_the_same_submissions(
    client: Client, request, who, case, history, areas, inspection
):
    user = request.getfixturevalue(who)
    client.force_login(user)

    on_page = _queue_ids(client, _page_params(case, areas, inspection))
    in_api = _api_ids(user, _api_params(case, areas, inspection))

    assert on_page == in_api


def test_the_cases_tell_the_submissions_apart(client: Client, sam, history, areas, inspection):
    """The comparison above is worth something only if the filters select different rows."""
    client.force_login(sam)
    lists = {
        str(case): frozenset(_queue_ids(client, _page_params(case, areas, inspection)))
        for case in CASES
    }

    assert len(set(lists.values())) >= 5
    assert lists[str({"flag": "gps_outside_village"})] == frozenset()
    assert lists[str({"flag": "photo_duplicate"})] == {history["risky"].pk}
