from django.test import Client
from django.urls import reverse

from backend.audit.models import AccessKind, AccessLog
from backend.households.lists import household_list_rows
from backend.households.models import Household
from backend.submissions.models import ReviewState


def _page(client, submission):
    return client.get(reverse("review:submission", args=["demo", submission.pk]))


def test_shows_labelled_answers_photos_map_and_flags(client: Client, sam, flagged):
    client.force_login(sam)
    response = _page(client, flagged["risky"])
    assert response.status_code == 200
    content = response.content.decode()
    assert "Inspection stage" in content  # the question's English label
    assert "Before renovation (appraisal)" in content  # the choice's label, not its code
    assert "55.5" in content
    photo_url = reverse("submission-attachment", args=["demo", flagged["risky"].pk, "front.jpg"])
    assert photo_url in content
    map_data = response.context["map"]
    kinds = {point["kind"] for point in map_data["points"]}
    assert kinds == {"household", "photo"}
    assert map_data["polygons"][0]["label"] == "东坡村"
    assert map_data["tiles"] == ""
    # Flags by their meaning and their facts, never by their codes or evidence keys.
    assert "A photo repeats an earlier photo" in content
    assert "distance: 812 m" in content
    assert "photo_duplicate" not in content
    assert "distance_m" not in content


def test_labels_follow_the_users_language(client: Client, sam, flagged):
    client.force_login(sam)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    content = _page(client, flagged["risky"]).content.decode()
    assert "检查环节" in content
    assert "改造前（鉴定）" in content


def test_every_view_is_logged(client: Client, sam, flagged):
    client.force_login(sam)
    _page(client, flagged["risky"])
    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind, entry.object_id) == (
        sam,
        AccessKind.VIEW_SUBMISSION,
        str(flagged["risky"].pk),
    )
    assert entry.ip == "127.0.0.1"


def test_photo_is_served_to_its_supervisor_and_sender_only(
    client: Client, sam, mallory, bob, flagged
):
    url = reverse("submission-attachment", args=["demo", flagged["risky"].pk, "front.jpg"])
    client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(url.replace("front.jpg", "other.jpg")).status_code == 404
    client.force_login(mallory)
    assert client.get(url).status_code == 404
    client.force_login(bob)  # he sent it from his phone
    assert client.get(url).status_code == 200


def test_other_township_gets_404(client: Client, east_supervisor, flagged):
    client.force_login(east_supervisor)
    assert _page(client, flagged["risky"]).status_code == 200
    assert _page(client, flagged["calm"]).status_code == 404
    assert client.get("/p/demo/submissions/99999/").status_code == 404


def test_has_issues_sends_the_note_to_the_phone_and_approval_clears_it(
    client: Client, sam, flagged, homes
):
    client.force_login(sam)
    url = reverse("review:decide", args=["demo", flagged["risky"].pk])
    response = client.post(url, {"decision": "has_issues", "comment": "门前照片不是本户"})
    assert response.status_code == 302
    household = Household.objects.get(pk=homes["east"].pk)
    assert household.review_note == "门前照片不是本户"
    rows = b"".join(
        household_list_rows(household.project, Household.objects.filter(pk=household.pk))
    )
    assert "门前照片不是本户".encode() in rows

    client.post(url, {"decision": "approved", "comment": ""})
    household.refresh_from_db()
    assert household.review_note == ""
    flagged["risky"].refresh_from_db()
    assert flagged["risky"].review_state == ReviewState.APPROVED
    history = list(flagged["risky"].review_comments.values_list("previous_state", "decision"))
    assert history == [
        (ReviewState.RECEIVED, ReviewState.HAS_ISSUES),
        (ReviewState.HAS_ISSUES, ReviewState.APPROVED),
    ]
    content = _page(client, flagged["risky"]).content.decode()
    assert "门前照片不是本户" in content


def test_comment_thread(client: Client, sam, flagged):
    client.force_login(sam)
    url = reverse("review:comment", args=["demo", flagged["risky"].pk])
    assert client.post(url, {"text": "请补拍侧面"}).status_code == 302
    assert client.post(url, {"text": "  "}).status_code == 302  # refused with a message
    assert list(flagged["risky"].review_comments.values_list("text", flat=True)) == ["请补拍侧面"]


def test_decisions_need_csrf(sam, flagged):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(sam)
    url = reverse("review:decide", args=["demo", flagged["risky"].pk])
    assert strict.post(url, {"decision": "approved"}).status_code == 403


def test_mallory_cannot_decide(client: Client, mallory, flagged):
    client.force_login(mallory)
    url = reverse("review:decide", args=["demo", flagged["risky"].pk])
    assert client.post(url, {"decision": "approved"}).status_code == 404
    flagged["risky"].refresh_from_db()
    assert flagged["risky"].review_state == ReviewState.RECEIVED
