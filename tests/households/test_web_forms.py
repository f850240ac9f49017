"""The web forms (docs/forms.md#web-forms): a household's visit entered at a desk takes the phones'
path (the same intake, merge and idempotency), records who entered it and where; a form is
previewed before publishing without anything stored. The browser itself:
tests/households/test_browser_web_form.py."""

import json
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.audit.models import AccessLog
from backend.households.models import Household
from backend.submissions.models import Channel, Submission
from forms.models import Form, FormState
from tests.forms.mdforms import VISIT
from tests.households.entity_forms import visit_xml
from tests.sync.submissions import multipart

FILL = "/p/demo/households/{uuid}/fill/visit/"


def _config(response) -> dict:
    match = re.search(
        r'<script id="webform-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries no web form"
    return json.loads(match.group(1))


@pytest.fixture
def desk(client: Client, sam, forms, households, django_capture_on_commit_callbacks):
    """Sam, a supervisor, at a desk: posts run their on-commit work as after a real request."""
    client.force_login(sam)

    def post(household: Household, xml: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                FILL.format(uuid=household.uuid) + "submission",
                data=multipart(xml),
                headers={"accept": "application/json"},
            )

    return post


def test_a_paper_visit_entered_at_a_desk_merges_as_a_phones_would(desk, client, households, sam):
    household = households[0]
    xml = visit_xml(str(household.uuid), household.version, income=3100, grade="B")
    response = desk(household, xml)
    assert response.status_code == 201, response.content
    assert response.json()["url"] == f"/p/demo/households/{household.uuid}/"
    submission = Submission.objects.get()
    assert (submission.channel, submission.submitted_by, submission.device_token) == (
        Channel.WEB,
        sam,
        None,
    )
    api = client.get("/api/v1/projects/demo/submissions").json()["results"][0]
    assert (api["channel"], api["submitted_by"]) == ("web", "sam")
    household.refresh_from_db()
    assert submission.processed_at is not None
    assert household.properties["income_pc"] == "3100"
    assert household.properties["house_grade"] == "B"


def test_the_submission_page_says_who_entered_it_in_the_web_form(desk, client, households):
    household = households[0]
    desk(household, visit_xml(str(household.uuid), household.version, income=1))
    submission = Submission.objects.get()
    page = client.get(f"/p/demo/submissions/{submission.pk}/").content.decode()
    assert 'id="entered-in-web"' in page
    assert "Sam" in page


def test_the_same_visit_sent_twice_is_one_submission_and_another_with_its_id_is_refused(
    desk, households
):
    household = households[0]
    instance = f"uuid:{uuid.uuid4()}"
    xml = visit_xml(str(household.uuid), household.version, instance=instance, income=1)
    assert desk(household, xml).status_code == 201
    assert desk(household, xml).status_code == 200
    other = visit_xml(str(household.uuid), household.version, instance=instance, income=2)
    refused = desk(household, other)
    assert refused.status_code == 409
    assert refused.json()["message"]
    assert Submission.objects.count() == 1


def test_a_bad_upload_is_refused_in_words_and_stores_nothing(desk, households):
    assert desk(households[0], b"<data id='visit'").status_code == 400
    assert Submission.objects.count() == 0


def test_the_submission_needs_the_pages_csrf_token(sam, forms, households):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam)
    household = households[0]
    xml = visit_xml(str(household.uuid), household.version, income=1)
    response = client.post(FILL.format(uuid=household.uuid) + "submission", data=multipart(xml))
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_a_field_worker_enters_visits_with_the_phone_not_here(client, bob, forms, households):
    client.force_login(bob)
    household = households[0]
    xml = visit_xml(str(household.uuid), household.version, income=1)
    response = client.post(FILL.format(uuid=household.uuid) + "submission", data=multipart(xml))
    assert response.status_code == 403
    assert client.get(FILL.format(uuid=household.uuid)).status_code == 403
    assert Submission.objects.count() == 0


def test_the_form_opens_with_the_household_chosen_and_only_its_line(client, sam, forms, households):
    client.force_login(sam)
    household, other = households[0], households[1]
    response = client.get(FILL.format(uuid=household.uuid))
    assert response.status_code == 200
    config = _config(response)
    assert config["prefill"] == {"/data/hh": str(household.uuid)}
    assert config["submitUrl"] == FILL.format(uuid=household.uuid) + "submission"
    assert str(household.uuid) in config["external"]["households"]
    assert str(other.uuid) not in config["external"]["households"]
    assert 'id="visit"' in config["xform"]
    assert AccessLog.objects.filter(user=sam, object_id=str(household.uuid)).exists()


def test_the_household_page_offers_the_open_forms_that_choose_a_household(
    client, sam, forms, households
):
    client.force_login(sam)
    page = f"/p/demo/households/{households[0].uuid}/"
    assert FILL.format(uuid=households[0].uuid) in client.get(page).content.decode()
    Form.objects.filter(xml_form_id="visit").update(state=FormState.CLOSED)
    assert "/fill/" not in client.get(page).content.decode()
    assert client.get(FILL.format(uuid=households[0].uuid)).status_code == 404


def test_a_form_is_previewed_before_publishing_and_nothing_is_stored(client, alice, project):
    client.force_login(alice)
    upload = {"file": SimpleUploadedFile("visit.md", VISIT.encode(), "text/plain")}
    response = client.post("/p/demo/admin/forms/preview-upload", data=upload)
    assert response.status_code == 200
    config = _config(response)
    assert 'id="visit"' in config["xform"]
    assert config["submitUrl"] is None
    assert config["external"] == {"households": "<root/>"}
    assert Form.objects.count() == 0


def test_a_file_that_would_not_publish_is_refused_in_words_and_not_previewed(
    client, alice, project
):
    client.force_login(alice)
    bad = {"file": SimpleUploadedFile("bad.md", b"| survey |\n| | type | name |\n| | nope | q |\n")}
    response = client.post("/p/demo/admin/forms/preview-upload", data=bad)
    assert response.status_code == 400
    assert "webform-config" not in response.content.decode()
    assert Form.objects.count() == 0


def test_a_published_form_is_previewed_with_no_ones_household(client, alice, forms, households):
    client.force_login(alice)
    config = _config(client.get("/p/demo/admin/forms/visit/preview"))
    assert config["external"] == {"households": "<root/>"}
    assert config["submitUrl"] is None


def test_the_page_says_so_when_the_web_forms_are_not_built(
    client, sam, forms, households, monkeypatch
):
    monkeypatch.setattr("backend.web.webform_views.enketo_built", lambda: False)
    client.force_login(sam)
    response = client.get(FILL.format(uuid=households[0].uuid))
    assert response.status_code == 200
    assert 'id="webform-missing"' in response.content.decode()
    assert "webform-config" not in response.content.decode()


def test_the_visit_form_opens_with_the_households_village_chosen_too(
    client, sam, visit, households
):
    client.force_login(sam)
    household = households[0]
    config = _config(client.get(f"/p/demo/households/{household.uuid}/fill/hh_visit/"))
    assert config["prefill"] == {"/data/village": "demo-v01", "/data/hh": str(household.uuid)}
    assert "<name>demo-v01</name>" in config["external"]["villages"]
    assert str(household.uuid) in config["external"]["households"]
