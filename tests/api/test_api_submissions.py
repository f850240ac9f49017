import hashlib

from django.urls import reverse

from backend.households.models import Household
from backend.submissions.models import ReviewState, Submission
from tests.api.conftest import api, jpeg


def url(view, **kwargs):
    return reverse(f"api:{view}", kwargs={"slug": "demo", **kwargs})


def listed(client, **params):
    response = client.get(url("list_submissions"), params)
    assert response.status_code == 200, response.content
    return [s["id"] for s in response.json()["results"]]


def test_admin_sees_every_submission_newest_first(alice, field):
    ids = listed(api(alice))

    assert ids == [
        field["west"].pk,
        field["photo"].pk,
        field["visit"].pk,
        field["registration"].pk,
    ]


def test_a_field_worker_sees_only_what_they_sent(bob, carol, field):
    assert listed(api(carol)) == [field["west"].pk]
    assert field["west"].pk not in listed(api(bob))


def test_a_supervisor_sees_the_villages_assigned_to_them(sam_in_east, field):
    ids = listed(api(sam_in_east))

    # The registration and visit changed households of demo-v01; the simple form changed none,
    # and bob, who sent it, helps households there; carol's changed one in demo-v02.
    assert sorted(ids) == sorted([field["registration"].pk, field["visit"].pk, field["photo"].pk])


def test_a_supervisor_without_areas_sees_the_whole_project(sam, field):
    assert len(listed(api(sam))) == 4


def test_filters(alice, field):
    client = api(alice)
    field["photo"].review_state = ReviewState.APPROVED
    field["photo"].save(update_fields=["review_state"])

    assert listed(client, form="register") == [field["west"].pk, field["registration"].pk]
    assert listed(client, village="demo-v02") == [field["west"].pk]
    assert listed(client, village="demo-v01") == [field["visit"].pk, field["registration"].pk]
    assert listed(client, review_state="approved") == [field["photo"].pk]
    assert listed(client, flag="income_below_line") == [field["visit"].pk]
    assert listed(client, submitted_by="carol") == [field["west"].pk]
    assert listed(client, since="2000-01-01", until="2000-12-31") == []
    assert len(listed(client, since="2000-01-01")) == 4


def test_received_day_filter_uses_the_server_time_zone(alice, field):
    day = field["west"].created_at.astimezone().date()  # TIME_ZONE is the process zone here

    assert field["west"].pk in listed(api(alice), since=day.isoformat(), until=day.isoformat())


def test_superseded_versions_only_on_request(alice, field):
    Submission.objects.filter(pk=field["photo"].pk).update(is_current=False)

    assert field["photo"].pk not in listed(api(alice))
    assert field["photo"].pk in listed(api(alice), include_superseded=True)


def test_cursor_pages_cover_everything_once(alice, field):
    client = api(alice)
    page = client.get(url("list_submissions"), {"page_size": 3}).json()
    rest = client.get(page["next"].removeprefix("http://testserver")).json()

    ids = [s["id"] for s in page["results"] + rest["results"]]
    assert ids == listed(client)
    assert rest["next"] is None


def test_bad_filters_are_refused_with_the_error_shape(alice, field):
    client = api(alice)

    bad_state = client.get(url("list_submissions"), {"review_state": "maybe"})
    bad_day = client.get(url("list_submissions"), {"since": "0001-01-01"})
    bad_cursor = client.get(url("list_submissions"), {"cursor": "nonsense"})

    assert bad_state.status_code == 422
    assert bad_state.json()["code"] == "invalid_request"
    assert bad_day.status_code == 400
    assert bad_day.json()["code"] == "invalid_input"
    assert bad_cursor.status_code == 422


def test_a_filter_given_twice_is_refused_not_guessed(alice, field):
    response = api(alice).get(f"{url('list_submissions')}?village=demo-v01&village=demo-v02")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["details"] == ["query.village: given more than once; it takes one value"]


def test_list_items_name_form_village_flags_and_households(alice, field):
    items = {s["id"]: s for s in api(alice).get(url("list_submissions")).json()["results"]}

    visit = items[field["visit"].pk]
    assert visit["form_id"] == "visit"
    assert visit["village"] == "demo-v01"
    assert visit["flags"] == ["income_below_line"]
    assert visit["submitted_by"] == "bob"
    assert len(visit["households"]) == 1
    assert items[field["west"].pk]["village"] == "demo-v02"


def test_detail_has_fields_attachments_flags_and_households(alice, field):
    photo = api(alice).get(url("get_submission", submission_id=field["photo"].pk)).json()
    visit = api(alice).get(url("get_submission", submission_id=field["visit"].pk)).json()

    assert photo["fields"]["name"] == "Li"
    [attachment] = photo["attachments"]
    assert attachment["name"] == "a.jpg"
    assert attachment["sha256"] == hashlib.sha256(jpeg()).hexdigest()
    assert attachment["size"] == len(jpeg())
    assert attachment["content_type"] == "image/jpeg"
    assert attachment["download"] == url(
        "download_submission_attachment", submission_id=field["photo"].pk, name="a.jpg"
    )
    assert photo["submission"]["review_state"] == "received"
    assert [f["code"] for f in visit["flags"]] == ["income_below_line"]
    assert visit["households"][0]["version"] == 2
    assert visit["households"][0]["village"] == "demo-v01"


def test_review_state_says_who_and_when(alice, sam, field):
    Submission.objects.filter(pk=field["visit"].pk).update(
        review_state=ReviewState.HAS_ISSUES, reviewed_by=sam, reviewed_at=field["visit"].created_at
    )

    body = api(alice).get(url("get_submission", submission_id=field["visit"].pk)).json()

    assert body["submission"]["review_state"] == "has_issues"
    assert body["submission"]["reviewed_by"] == "sam"
    assert body["submission"]["reviewed_at"] is not None


def test_download_streams_the_file(alice, field):
    path = url("download_submission_attachment", submission_id=field["photo"].pk, name="a.jpg")

    response = api(alice).get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == jpeg()
    assert api(alice).get(path.replace("a.jpg", "b.jpg")).status_code == 404


def test_what_you_may_not_see_is_missing(bob, carol, sam_in_east, mallory, field):
    west = url("get_submission", submission_id=field["west"].pk)
    photo = url("download_submission_attachment", submission_id=field["photo"].pk, name="a.jpg")
    missing = url("get_submission", submission_id=10**9)

    for client, path in (
        (api(bob), west),
        (api(sam_in_east), west),
        (api(carol), photo),
        (api(mallory), west),
        (api(bob), missing),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert api(mallory).get(url("list_submissions")).status_code == 404


def test_anonymous_gets_401(client, field):
    response = client.get(url("list_submissions"))

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_download_gives_the_checked_thumbnail_and_refuses_other_sizes(alice, field):
    path = url("download_submission_attachment", submission_id=field["photo"].pk, name="a.jpg")

    small = api(alice).get(path, {"size": "small"})

    assert small.status_code == 200
    assert small["Content-Type"] == "image/jpeg"
    assert "X-Content-SHA256" not in small
    assert b"".join(small.streaming_content)[:2] == b"\xff\xd8"
    assert api(alice).get(path, {"size": "huge"}).status_code == 400


def test_review_with_a_comment_reaches_the_household(sam, bob, field):
    path = url("review_submission", submission_id=field["visit"].pk)

    refused = api(sam).post(path, {"state": "has_issues"}, content_type="application/json")
    assert refused.status_code == 400

    response = api(sam).post(
        path, {"state": "has_issues", "comment": "请补充收入材料"}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["review_state"] == "has_issues"
    household = Household.objects.get(versions__submission=field["visit"])
    assert household.review_note == "请补充收入材料"


def test_only_supervisors_review_and_only_what_they_see(bob, carol, sam_in_east, mallory, field):
    body = {"state": "approved"}
    own = url("review_submission", submission_id=field["visit"].pk)
    west = url("review_submission", submission_id=field["west"].pk)

    assert api(bob).post(own, body, content_type="application/json").status_code == 403
    assert api(mallory).post(own, body, content_type="application/json").status_code == 404
    assert api(sam_in_east).post(west, body, content_type="application/json").status_code == 404
    assert Submission.objects.get(pk=field["west"].pk).review_state == ReviewState.RECEIVED
