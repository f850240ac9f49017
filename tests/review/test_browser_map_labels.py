"""Labels that come from phones (a household's label, a photo's file name) are drawn on the maps
as text: markup in them is shown, never run, in a real Chromium."""

import pytest
from playwright.sync_api import Page, expect

from backend.households.models import Household
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = '<img src=x onerror="window.__pwned=1">'
# Collect sends the file name in a multipart header, where a double quote ends it.
PHOTO = "<img src=x onerror=window.__pwned=1>.jpg"


def hover_tooltip(page: Page, marker: str) -> None:
    """Point at a marker, so Leaflet opens (and fills) its tooltip. The event goes to the marker
    itself: a photo taken at the house lies under the household's marker, drawn above it."""
    page.locator(f"#map .{marker}").first.dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip")).to_be_visible()


def assert_nothing_ran(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("#map img[src=x]")).to_have_count(0)


def test_household_label_is_text_on_the_map(page: Page, live_server, sam, homes):
    Household.objects.filter(pk=homes["east"].pk).update(label=LABEL)
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/households/{homes['east'].uuid}/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "2")

    hover_tooltip(page, "map-point-household")
    expect(page.locator(".leaflet-tooltip")).to_have_text(LABEL)
    assert_nothing_ran(page)


def test_photo_file_name_is_text_on_the_map(page: Page, live_server, sam, homes, inspect):
    submission = inspect(homes["east"], photo_name=PHOTO)
    assert submission.attachments.get().name == PHOTO
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/submissions/{submission.pk}/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "3")

    hover_tooltip(page, "map-point-photo")
    expect(page.locator(".leaflet-tooltip")).to_contain_text(PHOTO)
    assert_nothing_ran(page)
    # The household page shows the same photo, by stage, on its map.
    page.goto(f"{live_server.url}/p/demo/households/{homes['east'].uuid}/")
    hover_tooltip(page, "map-point-photo")
    expect(page.locator(".leaflet-tooltip")).to_contain_text(PHOTO)
    assert_nothing_ran(page)
