import xml.etree.ElementTree as ET

from django.urls import reverse

from tests.api.conftest import api


def url(view, **kwargs):
    return reverse(f"api:{view}", kwargs={"slug": "demo", "form_id": "simple", **kwargs})


def test_version_detail_has_question_types_and_submission_count(sam, field):
    body = api(sam).get(url("get_form_version", version="1")).json()

    assert body["version"] == "1"
    assert body["fields"]["/data/photo"] == "image"
    assert body["submissions"] == 1


def test_the_xform_downloads_as_xml(sam, simple):
    response = api(sam).get(url("download_form_version_xform", version="1"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert ET.fromstring(response.content).tag.endswith("html")


def test_versions_are_missing_to_outsiders_and_refused_to_workers(sam, bob, mallory, simple):
    assert api(mallory).get(url("get_form_version", version="1")).status_code == 404
    assert api(mallory).get(url("download_form_version_xform", version="1")).status_code == 404
    assert api(bob).get(url("get_form_version", version="1")).status_code == 403
    missing = api(sam).get(url("get_form_version", version="9"))
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
