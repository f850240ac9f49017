"""Paths under /api/v1/ that the API does not know answer in the API's JSON, not in HTML."""

import pytest


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/"),
        ("get", "/api/v1/nowhere"),
        ("get", "/api/v1/projects/demo/nowhere/at/all"),
        ("post", "/api/v1/nowhere"),
        ("delete", "/api/v1/projects/demo/forms/simple/nowhere"),
    ],
)
def test_an_unknown_api_path_is_a_json_404(client, alice, method, path):
    client.force_login(alice)

    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "not_found", "message": "Not found.", "details": []}


def test_the_404_is_in_the_callers_language(client):
    response = client.get("/api/v1/nowhere", headers={"Accept-Language": "zh-hans"})

    assert response.json()["message"] != "Not found."


def test_known_paths_still_answer(client, alice):
    client.force_login(alice)

    assert client.get("/api/v1/projects").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
