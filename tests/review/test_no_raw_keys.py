"""A realistic visit (the shipped home-visit form after an inspection, with a visit point, a
photo and flags) leaves no property key, answer path, choice code, raw number or ISO time in
the text of the household and submission pages, in either language; the places link to the map;
the map's data holds the village boundary and the three kinds of points, each labelled."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from backend.households.label_catalogue import REGISTRY
from backend.households.labels import saved_properties
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.households.instances import filled_instance
from tests.media.photos import photo
from tests.review.test_labels_pages import visible
from tests.sync.submissions import multipart

# Raw values a form or the registry stores, which a reader must see written out.
RAW_VALUES = (
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),  # ISO moments
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO days
    re.compile(r"\b\d+\.0\b"),  # 18000.0
    re.compile(r"-?\d+\.\d+ -?\d+\.\d+ -?\d+(\.\d+)? \d+(\.\d+)?"),  # a geopoint as sent
    re.compile(r"\buuid:"),
)
# The camera's own record: taken during the visit, a few metres from the house.
CAMERA_PHOTO = photo(
    7,
    taken=datetime(2026, 11, 23, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai")),
    lat=26.50725,
    lon=106.70965,
    alt=1000.0,
)
CODES = ("monitor_sudden", "follow_up", "problem", "registered_poor", "not_met")


def raw_keys(text: str, keys: set[str]) -> list[str]:
    """The keys, choice codes and raw values the text shows. A key that is one plain word
    (`village`) is also its English label, so only keys a person would not write are sought:
    those with an underscore or a path."""
    found = [key for key in keys if ("_" in key or "/" in key) and key in text]
    found += [code for code in CODES if re.search(rf"(?<![\w-]){code}(?![\w-])", text)]
    found += [match.group(0) for pattern in RAW_VALUES if (match := pattern.search(text))]
    return found


@pytest.fixture
def visit(project, alice, homes, inspect, collect) -> Submission:
    path = LIBRARY_DIR / "hh_visit.md"
    form = form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=alice
    ).version
    household = homes["east"]
    inspect(household)
    household.refresh_from_db()
    answers = {
        "/data/start": "2026-11-23T09:05:00.000+08:00",
        "/data/end": "2026-11-23T09:45:00.000+08:00",
        "/data/village": "demo-v01",
        "/data/hh": str(household.uuid),
        "/data/prev_size": "4",
        "/data/prev_income_pc": "5200",
        "/data/met": "yes",
        "/data/house_photo": "house.jpg",
        "/data/visit_gps": "26.5073 106.7097 1000 6",
        "/data/household_size/hh_size": "5",
        "/data/education/edu_status": "problem",
        "/data/medical/has_serious_illness": "yes",
        "/data/income/income_year": "2026",
        "/data/income/inc_wage": "18000.0",
        "/data/income/income_pc": "3600.0",
        "/data/conclusion/outcome": "follow_up",
        "/data/conclusion/last_visit": "2026-11-23",
        "/data/conclusion/last_outcome": "follow_up",
    }
    entity = {"dataset": "households", "id": str(household.uuid), "update": "1"}
    xml = filled_instance(form, answers, entity={**entity, "baseVersion": str(household.version)})
    response = collect("post", "submission", data=multipart(xml, ("house.jpg", CAMERA_PHOTO)))
    assert response.status_code == 201
    return Submission.objects.get(form_version=form)


def known_keys(visit: Submission) -> set[str]:
    fields = set((visit.form_version.fields or {}).keys())
    names = {path.rsplit("/", 1)[-1] for path in fields}
    relative = {path.split("/", 2)[-1] for path in fields}
    return set(REGISTRY) | set(saved_properties(visit.form_version).values()) | names | relative


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_of_a_realistic_visit_show_no_raw_key(client: Client, sam, visit, language):
    client.force_login(sam)
    client.cookies.load({"django_language": language})
    keys = known_keys(visit)
    household = visit.household_versions.get().household
    for url in (
        reverse("households:page", args=["demo", household.uuid]),
        reverse("review:submission", args=["demo", visit.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        text = visible(response.content.decode())
        assert raw_keys(text, keys) == [], url


def test_places_link_to_the_map(client: Client, sam, visit):
    client.force_login(sam)
    html = client.get(reverse("review:submission", args=["demo", visit.pk])).content.decode()
    assert re.search(r'<a href="#map-section"[^>]*>26\.50730, 106\.70970 \(±6 m\)</a>', html)


def map_data(html: str) -> dict:
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", {"visit": "Visit point", "household": "Household's registered location"}),
        ("zh-hans", {"visit": "走访位置", "household": "农户登记位置"}),
    ],
)
def test_the_map_holds_the_boundary_and_three_kinds_of_labelled_points(
    client: Client, sam, visit, language, labels
):
    client.force_login(sam)
    client.cookies.load({"django_language": language})
    html = client.get(reverse("review:submission", args=["demo", visit.pk])).content.decode()
    data = map_data(html)
    assert [polygon["label"] for polygon in data["polygons"]] == ["东坡村"]
    assert data["polygons"][0]["geometry"]["type"] == "Polygon"
    kinds = {point["kind"]: point for point in data["points"]}
    assert set(kinds) == {"visit", "household", "photo"}
    assert kinds["visit"]["label"] == labels["visit"]
    assert (kinds["visit"]["latitude"], kinds["visit"]["longitude"]) == (26.5073, 106.7097)
    assert kinds["household"]["label"] == labels["household"]
    assert "house.jpg" in kinds["photo"]["label"]
    assert data["tiles"] == ""  # no base layer unless one is configured
    assert 'id="map-legend"' in html
