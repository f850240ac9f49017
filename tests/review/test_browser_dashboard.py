"""A supervisor opens the dashboard: tiles, the submissions chart (inline SVG), tables, XLSX."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_renders_with_its_chart(page: Page, live_server, sam, flagged, areas):
    sign_in(page, live_server.url, "sam")
    page.select_option("#language-select", "zh-hans")
    page.get_by_role("link", name="统计概览").first.click()

    expect(page.locator("#tile-households")).to_have_text("2")
    chart = page.locator("svg#per-day")
    expect(chart.locator("rect.bar")).to_have_count(30)
    today = chart.locator("rect.bar").last
    expect(today).to_have_attribute("data-value", "2")
    # The bar is drawn: it has height on screen, with no JavaScript library involved.
    box = today.bounding_box()
    assert box is not None
    assert box["height"] > 50
    expect(page.locator("#flags")).to_contain_text("危房")
    expect(page.locator("#statistics")).to_contain_text("西河村")
    screenshot(page, "dashboard-zh")

    page.select_option("#id_village", str(areas["east"].pk))
    page.get_by_role("button", name="显示").click()
    expect(page.locator("#tile-households")).to_have_text("1")
    expect(page.locator("#statistics")).not_to_contain_text("西河村")

    with page.expect_download() as download:
        page.locator("#xlsx").click()
    assert download.value.suggested_filename == "demo-villages.xlsx"
