"""A NUL character in a request is a 400 that says why, never a 500 from PostgreSQL."""

from django.test import Client


def test_a_nul_in_an_api_filter_is_a_json_400(db):
    response = Client().get("/api/v1/projects/demo/submissions?form=a%00b")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert "NUL" in response.json()["message"]


def test_a_nul_in_a_json_body_is_refused(db):
    response = Client().post(
        "/api/v1/projects/demo/submissions/1/review",
        data='{"state": "approved", "comment": "ok\\u0000"}',
        content_type="application/json",
    )

    assert response.status_code == 400


def test_a_nul_in_a_page_address_is_a_plain_400(db):
    response = Client().get("/households/?q=%00")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_requests_without_nul_pass(db):
    assert Client().get("/api/v1/projects/demo/submissions?form=a%20b").status_code == 401
