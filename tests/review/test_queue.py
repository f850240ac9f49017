import pytest
from django.test import Client
from django.urls import reverse

from backend.flags.models import RiskWeight
from backend.review.services import risk_weights_set
from backend.submissions.models import ReviewState


def _queue(client, **params):
    return client.get(reverse("review:queue", args=["demo"]), params)


def test_orders_by_risk_and_shows_flags(client: Client, sam, flagged):
    client.force_login(sam)
    response = _queue(client)
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [s.pk for s in rows] == [flagged["risky"].pk, flagged["calm"].pk]
    # Both inspections found a grade D house (house_unsafe, serious: 10) and a photo without EXIF
    # (photo_no_exif, info: 1); the risky one also has two more flags: serious 10 + warning 4.
    assert rows[0].risk == 25
    assert rows[1].risk == 11
    content = response.content.decode()
    assert "photo_duplicate" in content
    assert "东坡村" in content


def test_project_weights_change_the_order(
    client: Client, sam, flagged, project, django_capture_on_commit_callbacks
):
    # The service recomputes the stored scores after commit (a task, run here in-process).
    with django_capture_on_commit_callbacks(execute=True):
        risk_weights_set(project=project, weights={"photo_duplicate": 0, "gps_outside_village": 1})
    assert RiskWeight.objects.filter(project=project).count() == 2
    client.force_login(sam)
    rows = list(_queue(client).context["page"].object_list)
    assert rows[0].pk == flagged["risky"].pk
    assert rows[0].risk == 10 + 0 + 1 + 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"flag": "photo_duplicate"}, ["risky"]),
        ({"village": "east"}, ["risky"]),
        ({"state": "approved"}, []),
        ({"state": "all"}, ["risky", "calm"]),
        ({"date_from": "2000-01-01", "date_to": "2000-01-02"}, []),
    ],
)
def test_filters(client: Client, sam, flagged, areas, params, expected):
    if "village" in params:
        params = {"village": areas[params["village"]].pk}
    client.force_login(sam)
    rows = list(_queue(client, **params).context["page"].object_list)
    assert [s.pk for s in rows] == [flagged[name].pk for name in expected]


def test_filter_by_form(client: Client, sam, flagged, inspection):
    client.force_login(sam)
    rows = _queue(client, form=inspection.form_id).context["page"].object_list
    assert len(rows) == 2
    other = _queue(client, form=999999)
    assert other.status_code == 200
    assert "form" in other.context["filters"].errors


def test_township_supervisor_sees_only_their_township(client: Client, east_supervisor, flagged):
    client.force_login(east_supervisor)
    rows = list(_queue(client, state="all").context["page"].object_list)
    assert [s.pk for s in rows] == [flagged["risky"].pk]


def test_mallory_and_field_workers_cannot_open_the_queue(client: Client, mallory, bob, flagged):
    client.force_login(mallory)
    assert _queue(client).status_code == 404
    client.force_login(bob)
    assert _queue(client).status_code == 403


def test_bulk_approve(client: Client, sam, flagged):
    client.force_login(sam)
    ids = [flagged["risky"].pk, flagged["calm"].pk]
    response = client.post(
        reverse("review:bulk", args=["demo"]),
        {"ids": ids, "decision": "approved", "comment": "ok", "next": "/p/demo/review/?state=all"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/p/demo/review/?state=all"
    for submission in flagged.values():
        submission.refresh_from_db()
        assert submission.review_state == ReviewState.APPROVED
        assert submission.review_comments.get().text == "ok"


def test_bulk_skips_nothing_silently_for_foreign_ids(client: Client, east_supervisor, flagged):
    client.force_login(east_supervisor)
    client.post(
        reverse("review:bulk", args=["demo"]),
        {"ids": [flagged["calm"].pk], "decision": "approved"},
    )
    flagged["calm"].refresh_from_db()
    assert flagged["calm"].review_state == ReviewState.RECEIVED


def test_bulk_has_issues_needs_a_comment(client: Client, sam, flagged):
    client.force_login(sam)
    response = client.post(
        reverse("review:bulk", args=["demo"]),
        {"ids": [flagged["risky"].pk], "decision": "has_issues", "comment": ""},
        follow=True,
    )
    assert "needs a comment" in response.content.decode()
    flagged["risky"].refresh_from_db()
    assert flagged["risky"].review_state == ReviewState.RECEIVED


def test_queue_query_count_does_not_grow_with_rows(
    client: Client, sam, flagged, inspect, homes, django_assert_num_queries
):
    client.force_login(sam)
    # The first page also reads the words of the project's own rules, cached from then on.
    with django_assert_num_queries(14 + 1):
        _queue(client)
    for _ in range(5):
        inspect(homes["east"])
    with django_assert_num_queries(14):
        response = _queue(client)
    assert len(response.context["page"].object_list) == 7


def test_count_stops_at_the_cap_and_says_so(client: Client, sam, flagged, monkeypatch):
    monkeypatch.setattr("backend.review.views.QUEUE_CAP", 1)
    client.force_login(sam)
    response = _queue(client)
    assert response.context["page"].paginator.capped
    assert response.context["page"].paginator.num_pages == 1
    assert "more than 1 (narrow the filters" in response.content.decode()
    monkeypatch.setattr("backend.review.views.QUEUE_CAP", 2)
    response = _queue(client)
    assert not response.context["page"].paginator.capped
    assert "Submissions found: 2" in response.content.decode()
