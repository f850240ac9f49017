"""Forms, settings and risk weights reach every area: only whole-project admins change them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from backend.projects.models import Project
from forms.models import Form, FormState
from forms.services import Upload, form_publish
from tests.forms import mdforms


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("simple.md", mdforms.SIMPLE.encode(), content_type="text/markdown")


def test_a_township_admin_publishes_no_form(client: Client, townships):
    client.force_login(townships.admin_b)
    page = client.post(reverse("forms:list", args=["demo"]), {"file": upload()})
    assert page.status_code == 403
    api = client.post("/api/v1/projects/demo/forms", {"file": upload()})
    assert api.status_code == 403
    assert not Form.objects.exists()


def test_a_township_admin_closes_no_form(client: Client, townships, project, alice):
    form = form_publish(
        project=project, source=Upload("s.md", mdforms.SIMPLE.encode()), published_by=alice
    ).version.form
    client.force_login(townships.admin_b)
    url = reverse("forms:state", args=["demo", form.xml_form_id])
    assert client.post(url, {"state": FormState.CLOSED}).status_code == 403
    api = f"/api/v1/projects/demo/forms/{form.xml_form_id}/state"
    response = client.post(api, {"state": FormState.CLOSED}, content_type="application/json")
    assert response.status_code == 403
    form.refresh_from_db()
    assert form.state == FormState.OPEN
    # Reading stays open to them.
    assert client.get(reverse("forms:detail", args=["demo", form.xml_form_id])).status_code == 200


def test_a_township_admin_changes_no_setting(client: Client, townships, project):
    client.force_login(townships.admin_b)
    response = client.post(reverse("projects:save", args=["demo"]), {"monitoring_line": "1"})
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).monitoring_line == project.monitoring_line
    assert client.get(reverse("projects:settings", args=["demo"])).status_code == 200


def test_the_county_admin_publishes(client: Client, townships, alice):
    client.force_login(alice)
    assert client.post("/api/v1/projects/demo/forms", {"file": upload()}).status_code == 201
