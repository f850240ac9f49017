"""The export endpoints, through the real client with session authentication."""

import pytest
from django.test import Client
from django.urls import reverse

from backend.exports.models import Export, ExportState
from tests.sync.conftest import body

URL = "/api/v1/projects/demo/exports"


@pytest.fixture
def as_user(django_capture_on_commit_callbacks):
    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for


def _post(client, data, capture):
    with capture(execute=True):
        return client.post(URL, data, content_type="application/json")


def test_supervisor_requests_follows_and_downloads_an_export(
    sent, sam, as_user, django_capture_on_commit_callbacks
):
    client = as_user(sam)

    created = _post(
        client, {"kind": "form_csv", "form": "survey_x"}, django_capture_on_commit_callbacks
    )

    assert created.status_code == 202, created.content
    export_id = created.json()["id"]
    status = client.get(f"{URL}/{export_id}").json()
    assert (status["state"], status["progress"], status["row_count"]) == ("done", 100, 2)
    assert status["download"] == f"{URL}/{export_id}/download"
    download = client.get(status["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="survey_x.zip"'
    assert body(download)[:2] == b"PK"
    listed = client.get(URL).json()
    assert [item["id"] for item in listed["results"]] == [export_id]


def test_bad_requests_get_a_clear_400(sent, sam, as_user, django_capture_on_commit_callbacks):
    client = as_user(sam)
    cases = [
        ({"kind": "everything"}, "Unknown export kind"),
        ({"kind": "form_csv"}, "Name the form"),
        ({"kind": "form_csv", "form": "nope"}, "no form nope"),
        ({"kind": "form_xlsx", "form": "survey_x", "language": "fr"}, "no language fr"),
        ({"kind": "households_csv", "village": "atlantis"}, "No area"),
        ({"kind": "photos_zip", "since": "2024-02-01", "until": "2024-01-01"}, "after the end"),
        ({"kind": "form_csv", "form": "survey_x", "review_state": "lost"}, "Unknown review"),
    ]
    for data, message in cases:
        response = _post(client, data, django_capture_on_commit_callbacks)
        assert response.status_code == 400, data
        assert message in response.json()["message"], response.json()
    bad_date = _post(
        client, {"kind": "form_csv", "since": "soon"}, django_capture_on_commit_callbacks
    )
    assert bad_date.status_code == 422
    assert not Export.objects.exists()


def test_a_field_worker_may_not_export(sent, bob, as_user, django_capture_on_commit_callbacks):
    response = _post(as_user(bob), {"kind": "households_csv"}, django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert not Export.objects.exists()


def test_mallory_sees_no_project_and_no_export(
    sent, sam, mallory, as_user, django_capture_on_commit_callbacks
):
    created = _post(as_user(sam), {"kind": "households_csv"}, django_capture_on_commit_callbacks)
    export_id = created.json()["id"]
    client = as_user(mallory)

    assert (
        _post(client, {"kind": "households_csv"}, django_capture_on_commit_callbacks).status_code
        == 404
    )
    for path in (URL, f"{URL}/{export_id}", f"{URL}/{export_id}/download"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_another_supervisor_cannot_see_my_export(
    sent, sam, alice, as_user, django_capture_on_commit_callbacks
):
    created = _post(as_user(sam), {"kind": "households_csv"}, django_capture_on_commit_callbacks)
    export_id = created.json()["id"]
    client = as_user(alice)

    assert client.get(f"{URL}/{export_id}").status_code == 404
    assert client.get(f"{URL}/{export_id}/download").status_code == 404
    assert client.get(URL).json()["results"] == []


def test_anonymous_gets_401(db, project):
    assert Client().get(URL).status_code == 401


def test_a_queued_export_has_no_file_yet(sent, sam, as_user):
    client = as_user(sam)
    # Without running the commit callbacks the task is not started: the export stays queued.
    created = client.post(URL, {"kind": "households_csv"}, content_type="application/json")

    export_id = created.json()["id"]
    assert created.json()["state"] == ExportState.QUEUED
    assert created.json()["download"] is None
    response = client.get(
        reverse("api:download_export", kwargs={"slug": "demo", "export_id": export_id})
    )
    assert response.status_code == 409


def test_a_failed_build_is_recorded_not_raised(sent, sam, project, run_export, monkeypatch):
    def broken(export, directory):
        raise OSError("disk full")

    monkeypatch.setitem(
        __import__("backend.exports.build", fromlist=["_BUILDERS"])._BUILDERS,
        "households_csv",
        broken,
    )
    export = run_export(sam, project, "households_csv")

    assert export.state == ExportState.FAILED
    assert "OSError" in export.error
    assert not export.file
