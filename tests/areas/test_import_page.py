"""The area import page (backend/areas/pages.py): all features or none, each bad one reported."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from backend.areas.models import Area
from tests.areas.test_import_areas import BOWTIE, SQUARE, feature


def geojson(features, name="areas.geojson") -> SimpleUploadedFile:
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile(name, body, content_type="application/geo+json")


URL = reverse("areas:import", args=["demo"])
GOOD = [
    feature("c1", "示范县", "county"),
    feature("t1", "东镇", "township", "c1"),
    feature("v1", "东坡村", "village", "t1", SQUARE),
]


def test_imports_and_reports_counts(client: Client, alice):
    client.force_login(alice)
    response = client.post(URL, {"file": geojson(GOOD)}, follow=True)
    assert response.status_code == 200
    assert "Areas created: 3, updated: 0." in response.content.decode()
    assert Area.objects.get(code="v1").boundary == SQUARE
    assert dict(response.context["levels"]) == {"County": 1, "Township": 1, "Village": 1}


def test_bad_features_are_listed_and_nothing_is_imported(client: Client, alice):
    client.force_login(alice)
    bad = [
        *GOOD,
        feature("v2", "西河村", "village", "t9"),
        feature("v3", "北村", "village", "t1", BOWTIE),
    ]
    response = client.post(URL, {"file": geojson(bad)})
    assert response.status_code == 400
    details = response.context["details"]
    assert len(details) == 2
    assert details[0].startswith("Feature 4 (v2)")
    assert "Feature 5" in details[1]
    assert "Feature 4 (v2)" in response.content.decode()
    assert not Area.objects.exists()


def test_not_json(client: Client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("areas.geojson", b"\xff{not json", content_type="application/json")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "not UTF-8 JSON" in response.context["error"]


@override_settings(IMPORT_MAX_UPLOAD_BYTES=10)
def test_too_large(client: Client, alice):
    client.force_login(alice)
    response = client.post(URL, {"file": geojson(GOOD)})
    assert response.status_code == 413
    assert not Area.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_project_admins(client: Client, alice, sam, bob, mallory, method):
    for user, status in ((mallory, 404), (bob, 403), (sam, 403)):
        client.force_login(user)
        data = {"file": geojson(GOOD)} if method == "post" else None
        assert getattr(client, method)(URL, data).status_code == status
    assert not Area.objects.exists()


def test_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, {"file": geojson(GOOD)}).status_code == 403
