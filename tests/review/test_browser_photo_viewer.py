"""In a real Chromium: a submission page with two 4 MB phone photos transfers under 1 MB until a
photo is opened; the viewer then loads the mid-size picture (never the original), zooms with
its buttons and the wheel, and tells where and when the photo was taken and what the checks
found. The map draws its markers and legend without any tiles."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser import ARTIFACTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 1_000_000

# Every resource the page fetched: (URL, bytes of its body as it came over the network).
FETCHED = """() => [performance.getEntriesByType("navigation")[0],
                   ...performance.getEntriesByType("resource")]
  .map(entry => [entry.name, entry.encodedBodySize])"""


def fetched(page: Page) -> dict[str, int]:
    return dict(page.evaluate(FETCHED))


def test_viewer_loads_the_mid_size_picture_only_when_opened(
    page: Page, live_server, sam, two_photos
):
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/submissions/{two_photos.pk}/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "4")
    page.wait_for_load_state("networkidle")
    before = fetched(page)
    assert sum(before.values()) < BUDGET, before
    assert not any("size=large" in url for url in before)
    assert not any(url.endswith((".jpg", ".jpg/")) for url in before)  # no original

    page.locator('#photos a[data-photo$="/front.jpg"]').click()
    viewer = page.locator("#photo-viewer")
    expect(viewer).to_be_visible()
    picture = viewer.locator("[data-picture]")
    original_url = reverse("submission-attachment", args=["demo", two_photos.pk, "front.jpg"])
    expect(picture).to_have_attribute("src", f"{original_url}?size=large")
    # Waits until the picture has arrived (a wait_for_function string would need eval, which the
    # page's policy forbids).
    picture.evaluate("img => img.decode()")
    after = fetched(page)
    opened = [url for url in after if url not in before]
    assert [url.rsplit("/", 1)[-1] for url in opened] == ["front.jpg?size=large"]
    assert sum(after.values()) < BUDGET

    expect(viewer.locator("[data-place]")).to_contain_text("26.50720, 106.70960")
    expect(viewer.locator("[data-time]")).to_have_text("The camera recorded no time.")
    expect(viewer.locator("[data-checks] li").first).to_contain_text(
        "A photo carries no camera time or position"
    )
    original = viewer.locator("[data-original]")
    expect(original).to_have_attribute("href", original_url)

    level = viewer.locator("[data-zoom-level]")
    expect(level).to_have_text("100%")
    viewer.get_by_role("button", name="Zoom in").click()
    expect(level).to_have_text("125%")
    viewer.locator("[data-stage]").hover()
    page.mouse.wheel(0, -100)
    expect(level).to_have_text("156%")
    # The viewer is fixed to the window: a picture of the window, not of the whole page.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "photo-viewer-en.png"))
    page.keyboard.press("ArrowRight")
    expect(viewer.locator("#viewer-title")).not_to_be_empty()
    expect(level).to_have_text("100%")
    viewer.get_by_role("button", name="Close").click()
    expect(viewer).to_be_hidden()
    assert not any(url.endswith("front.jpg") for url in fetched(page))


def test_map_markers_and_legend_render_without_tiles(page: Page, live_server, sam, two_photos):
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/submissions/{two_photos.pk}/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "4")
    expect(page.locator("#map .map-point-household")).to_have_count(1)
    expect(page.locator("#map .map-point-photo")).to_have_count(2)
    expect(page.locator("#map .map-boundary")).to_have_count(1)
    expect(page.locator("#map .leaflet-tile")).to_have_count(0)
    legend = page.locator("#map-legend")
    expect(legend.locator("li:visible")).to_have_text(
        ["Household's registered location", "Where a photo was taken", "Village boundary"]
    )
    expect(legend.locator('[data-kind="visit"]')).to_be_hidden()
    # The household's marker is drawn above the photos' (the visit's above all).
    household_z = page.locator("#map .map-point-household").evaluate(
        "el => Number(el.parentElement.style.zIndex)"
    )
    photo_z = page.locator("#map .map-point-photo").first.evaluate(
        "el => Number(el.parentElement.style.zIndex)"
    )
    assert household_z > photo_z
    screenshot(page, "submission-map-en")
