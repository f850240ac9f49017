"""The exports page: request an export, follow its progress, download the file."""

import pytest
from django.test import Client

from backend.exports.models import Export, ExportState
from tests.sync.conftest import body

PAGE = "/p/demo/exports/"


@pytest.fixture
def sam_client(sam) -> Client:
    client = Client()
    client.force_login(sam)
    return client


def test_supervisor_requests_a_cases_workbook_and_downloads_it(
    sent, sam_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(PAGE + "request", {"kind": "cases_xlsx"})

    assert response.status_code == 302
    assert response["Location"] == PAGE
    export = Export.objects.get()
    assert (export.kind, export.state) == ("cases_xlsx", ExportState.DONE)
    page = sam_client.get(PAGE).content.decode()
    assert "Cases by state and level, Excel workbook" in page
    assert "Export requested" in page
    assert "hx-trigger" not in page  # nothing left to wait for
    link = f"/api/v1/projects/demo/exports/{export.pk}/download"
    assert link in page
    download = sam_client.get(link)
    assert download.status_code == 200
    assert body(download)[:2] == b"PK"


def test_a_form_export_with_its_filters(sent, sam_client, django_capture_on_commit_callbacks):
    data = {
        "kind": "form_xlsx",
        "form": "survey_x",
        "since": "2020-01-01",
        "until": "2099-12-31",
        "review_state": "received",
        "labels": "on",
        "language": "zh",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(PAGE + "request", data)

    assert response.status_code == 302
    export = Export.objects.get()
    assert export.state == ExportState.DONE, export.error
    assert export.parameters["form"] == "survey_x"
    assert export.parameters["labels"] is True
    assert (export.parameters["since"], export.parameters["until"]) == ("2020-01-01", "2099-12-31")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "form_csv"}, "Name the form to export."),
        ({"kind": "form_xlsx", "form": "survey_x", "language": "fr"}, "no language fr"),
        ({"kind": "everything"}, "Select a valid choice"),
        ({"kind": "photos_zip", "since": "2024-02-01", "until": "2024-01-01"}, "after the end"),
    ],
)
def test_a_request_that_cannot_be_built_is_refused_and_queues_nothing(
    sent, sam_client, data, message
):
    response = sam_client.post(PAGE + "request", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Export.objects.exists()


def test_an_unfinished_export_is_followed_until_done(sent, sam_client, sam):
    # Without running the commit callbacks the build does not start: the export stays queued.
    sam_client.post(PAGE + "request", {"kind": "households_csv"})

    page = sam_client.get(PAGE).content.decode()
    assert 'hx-get="/p/demo/exports/list"' in page
    assert 'hx-trigger="every 3s"' in page
    assert "Queued" in page
    Export.objects.update(state=ExportState.DONE, progress=100)
    fragment = sam_client.get(PAGE + "list").content.decode()
    assert 'id="exports"' in fragment
    assert "hx-trigger" not in fragment
    assert "Done" in fragment


def test_only_admins_are_offered_unmasked_personal_data(sent, sam_client, alice):
    assert 'name="personal_data"' not in sam_client.get(PAGE).content.decode()
    admin = Client()
    admin.force_login(alice)
    assert 'name="personal_data"' in admin.get(PAGE).content.decode()


def test_the_page_speaks_chinese(sent, sam_client):
    sam_client.cookies["django_language"] = "zh-hans"

    page = sam_client.get(PAGE).content.decode()

    assert "申请导出" in page
    assert "事项（按状态和层级），Excel 工作簿" in page


def test_field_workers_and_strangers_get_no_exports(sent, bob, mallory):
    for user, status in ((bob, 403), (mallory, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(PAGE).status_code == status
        assert client.get(PAGE + "list").status_code == status
        assert client.post(PAGE + "request", {"kind": "households_csv"}).status_code == status
    assert not Export.objects.exists()


def test_the_project_menu_links_to_exports(sent, sam_client):
    assert 'href="/p/demo/exports/"' in sam_client.get("/p/demo/review/").content.decode()
