"""The renovation page: the photos of the same spot before and after side by side with their
places and times, the evidence checks' sentences on each photo, thumbnails with the originals
only on demand, the comparison slider; read by the offices of the area, each look logged."""

from datetime import timedelta

import pytest
from django.test import Client

from backend.audit.models import AccessLog
from backend.casework.models import Case, Kind
from tests.casework.renovation import dangerous_house
from tests.casework.test_api_cases import call
from tests.casework.test_renovation_visits import AFTER, BEFORE, inspect
from tests.casework.test_renovation_visits import inspection as inspection  # a fixture
from tests.conftest import FIXED_NOW
from tests.media.photos import photo

pytestmark = pytest.mark.django_db

HOME = (26.5000, 106.7000)
TWO_KM_NORTH = (26.518, 106.7000)


def point(where) -> str:
    return f"{where[0]} {where[1]} 1020 4"


def shot(seed, when, where) -> bytes:
    return photo(seed, taken=when.replace(tzinfo=None), lat=where[0], lon=where[1])


def timed(start, answers):
    end = start + timedelta(minutes=25)
    return {
        "/data/start": start.isoformat(timespec="milliseconds"),
        "/data/end": end.isoformat(timespec="milliseconds"),
        **answers,
    }


@pytest.fixture
def renovation(world, inspection, phone_of):
    """A before visit and an after visit: the after front photo taken 2 km from where the form
    says, the kitchen photo a copy of the before photo."""
    home = dangerous_house(world, "PG-1")
    home.latitude, home.longitude = HOME
    home.save(update_fields=["latitude", "longitude"])
    start = FIXED_NOW - timedelta(days=20)
    front = shot(1, start + timedelta(minutes=5), HOME)
    before = {**BEFORE, "/data/before/photo_before": "front.jpg"}
    before["/data/before/photo_before_gps"] = point(HOME)
    inspect(
        phone_of,
        inspection,
        world.places.worker_a,
        home,
        timed(start, before),
        ("front.jpg", front),
    )
    later = FIXED_NOW - timedelta(days=2)
    after = {
        **AFTER,
        "/data/after/photo_after": "after.jpg",
        "/data/after/photo_after_gps": point(HOME),
        "/data/after/has_kitchen": "yes",
        "/data/after/photo_kitchen": "kitchen.jpg",
        "/data/after/photo_kitchen_gps": point(HOME),
    }
    files = [
        ("after.jpg", shot(2, later + timedelta(minutes=5), TWO_KM_NORTH)),
        ("kitchen.jpg", front),
    ]
    inspect(phone_of, inspection, world.places.worker_a, home, timed(later, after), *files)
    return Case.objects.get(household=home, kind=Kind.RENOVATION)


def page(user, case):
    client = Client()
    client.force_login(user)
    return client.get(f"/p/demo/cases/{case.pk}/renovation/")


def test_the_page_shows_the_spots_side_by_side_with_their_checks(world, renovation):
    response = page(world.cadre_a1, renovation)
    assert response.status_code == 200
    spots = {spot.spot: spot for spot in response.context["spots"]}
    front_before, front_during, front_after = spots["front"].photos
    assert front_during is None
    assert front_before.latitude == pytest.approx(HOME[0])
    assert front_after.latitude == pytest.approx(TWO_KM_NORTH[0])
    assert front_before.taken_at is not None
    assert any("far from the visit point" in s for s in front_after.checks)
    assert not any("far from the visit point" in s for s in front_before.checks)
    kitchen = spots["kitchen"].photos[2]
    assert any("repeats an earlier photo" in s for s in kitchen.checks)
    body = response.content.decode()
    # Thumbnails on the page; the originals only behind a link.
    assert f"{front_before.url}?size=small" in body
    assert f'href="{front_before.url}"' in body
    assert f'src="{front_before.url}"' not in body
    assert 'id="compare"' in body
    assert "casework/compare.js" in body
    assert AccessLog.objects.filter(detail=f"renovation {renovation.pk}").exists()


def test_the_api_gives_the_same_photos_and_checks(world, renovation):
    body = call(world.cadre_a1, "get", f"/api/v1/projects/demo/renovations/{renovation.pk}").json()
    front = next(spot for spot in body["spots"] if spot["spot"] == "front")
    assert [photo is not None for photo in front["photos"]] == [True, False, True]
    assert any("far from the visit point" in s for s in front["photos"][2]["checks"])


def test_the_page_is_read_by_the_offices_of_the_area(world, renovation):
    assert page(world.places.supervisor_a, renovation).status_code == 200
    assert page(world.county, renovation).status_code == 200
    assert page(world.places.worker_a, renovation).status_code == 403
    assert page(world.cadre_b1, renovation).status_code == 404
    assert page(world.places.supervisor_b, renovation).status_code == 404
