"""The admin pages for forms (forms/pages.py): publish with errors by row, states, media."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from forms.models import Form, FormState, FormVersion
from forms.problems import Problem, parse_problem
from tests.forms import mdforms

BROKEN = mdforms.SIMPLE.replace("| geopoint |", "| geopont  |")


def md(text: str, name: str = "form.md") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")


def _list_url(slug="demo"):
    return reverse("forms:list", args=[slug])


def test_publish_shows_errors_with_sheet_and_row_and_stores_nothing(client: Client, alice):
    client.force_login(alice)
    response = client.post(_list_url(), {"file": md(BROKEN), "action": "publish"})
    assert response.status_code == 400
    assert response.context["problems"] == [
        Problem(sheet="survey", row=3, message="Unknown question type 'geopont'.")
    ]
    content = response.content.decode()
    assert "geopont" in content
    assert not Form.objects.exists()


def test_publish_then_the_form_page_shows_version_warnings_and_missing_files(client: Client, alice):
    client.force_login(alice)
    response = client.post(
        _list_url(), {"file": md(mdforms.WITH_MEDIA), "action": "publish"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("forms:detail", args=["demo", "with_media"])
    assert response.context["missing"] == ["crops.csv", "logo.png"]
    assert "Version 1 published." in response.content.decode()

    upload = SimpleUploadedFile("logo.png", b"\x89PNG fake", content_type="image/png")
    url = reverse("forms:attachments", args=["demo", "with_media"])
    after = client.post(url, {"files": [upload]}, follow=True)
    assert after.context["missing"] == ["crops.csv"]
    assert FormVersion.objects.get().attachments.get(name="logo.png").size == 9


def test_check_only_reports_warnings_and_publishes_nothing(client: Client, alice):
    client.force_login(alice)
    response = client.post(_list_url(), {"file": md(mdforms.SIMPLE), "action": "check"})
    assert response.status_code == 200
    check = response.context["check"]
    assert (check.form_id, check.version, check.conflict) == ("simple", "1", "")
    assert any("max-pixels" in w.message for w in response.context["warnings"])
    assert not Form.objects.exists()


def test_check_tells_of_a_version_conflict(client: Client, alice):
    client.force_login(alice)
    client.post(_list_url(), {"file": md(mdforms.SIMPLE), "action": "publish"})
    response = client.post(_list_url(), {"file": md(mdforms.SIMPLE_V1_CHANGED), "action": "check"})
    assert "already published" in response.context["check"].conflict
    refused = client.post(_list_url(), {"file": md(mdforms.SIMPLE_V1_CHANGED)})
    assert refused.status_code == 409
    assert FormVersion.objects.count() == 1


def test_unknown_attachment_is_refused_on_the_page(client: Client, alice):
    client.force_login(alice)
    client.post(_list_url(), {"file": md(mdforms.WITH_MEDIA)})
    url = reverse("forms:attachments", args=["demo", "with_media"])
    response = client.post(url, {"files": [md("x", "other.png")]})
    assert response.status_code == 400
    assert "other.png" in response.context["error"]


def test_state_change(client: Client, alice):
    client.force_login(alice)
    client.post(_list_url(), {"file": md(mdforms.SIMPLE)})
    url = reverse("forms:state", args=["demo", "simple"])
    assert client.post(url, {"state": "closing"}).status_code == 302
    assert Form.objects.get().state == FormState.CLOSING
    assert client.post(url, {"state": "gone"}).status_code == 400
    assert Form.objects.get().state == FormState.CLOSING


def test_list_shows_state_and_version(client: Client, alice):
    client.force_login(alice)
    client.post(_list_url(), {"file": md(mdforms.SIMPLE)})
    response = client.get(_list_url())
    assert response.status_code == 200
    assert [f.xml_form_id for f in response.context["forms"]] == ["simple"]
    assert "Simple form" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "forms:list", []),
        ("post", "forms:list", []),
        ("get", "forms:detail", ["simple"]),
        ("post", "forms:state", ["simple"]),
        ("post", "forms:attachments", ["simple"]),
    ],
)
def test_only_project_admins(client: Client, alice, sam, bob, mallory, method, name, args):
    client.force_login(alice)
    client.post(_list_url(), {"file": md(mdforms.SIMPLE)})
    url = reverse(name, args=["demo", *args])
    data = {"state": "closed"} if method == "post" else None
    for user, status in ((mallory, 404), (bob, 403), (sam, 403)):
        client.force_login(user)
        assert getattr(client, method)(url, data).status_code == status, user
    assert Form.objects.get().state == FormState.OPEN


def test_missing_form_is_404(client: Client, alice):
    client.force_login(alice)
    assert client.get(reverse("forms:detail", args=["demo", "nope"])).status_code == 404


def test_posts_need_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(_list_url(), {"file": md(mdforms.SIMPLE)}).status_code == 403
    assert not Form.objects.exists()


def test_signed_out_goes_to_login(client: Client, project):
    response = client.get(_list_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[row : 4] On the 'choices' sheet, the 'label' value is invalid.",
            Problem("choices", 4, "The 'label' value is invalid."),
        ),
        ("[row : 2] Unmatched 'begin_group'.", Problem("", 2, "Unmatched 'begin_group'.")),
        ("There should be a choices sheet.", Problem("", None, "There should be a choices sheet.")),
    ],
)
def test_parse_problem(text, expected):
    assert parse_problem(text) == expected
