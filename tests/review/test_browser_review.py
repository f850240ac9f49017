"""A township supervisor, in Chinese, finds the riskiest submission, looks at its photo and map,
sends it back with a note that reaches the household list, and approves another."""

import pytest
from playwright.sync_api import Page, expect

from backend.audit.models import AccessKind, AccessLog
from backend.households.models import Household
from backend.submissions.models import ReviewState
from tests.browser import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_riskiest_submission_in_chinese(page: Page, live_server, sam, flagged, homes):
    sign_in(page, live_server.url, "sam")
    page.select_option("#language-select", "zh-hans")
    page.get_by_role("link", name="审核队列").first.click()

    rows = page.locator("#queue-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("25")
    expect(rows.first).to_contain_text("东坡村")
    page.select_option("#id_flag", "photo_duplicate")  # htmx swaps the table in place
    expect(rows).to_have_count(1)
    screenshot(page, "queue-zh")

    rows.first.get_by_role("link").first.click()
    expect(page.get_by_text("检查环节")).to_be_visible()
    expect(page.locator("#photos img")).to_have_count(1)
    expect(page.locator("#photos img")).to_have_js_property("naturalWidth", 64)
    # The map draws the household, the photo's place and the village without any tiles.
    expect(page.locator("#map")).to_have_attribute("data-ready", "3")
    expect(page.locator("#map .map-point")).to_have_count(2)
    screenshot(page, "submission-zh")

    page.fill("#id_comment", "门前照片与上次重复，请重拍")
    page.get_by_role("button", name="有问题").click()
    expect(page.locator(".messages")).to_contain_text("已记录")
    expect(page.locator("#thread")).to_contain_text("门前照片与上次重复，请重拍")
    assert Household.objects.get(pk=homes["east"].pk).review_note == "门前照片与上次重复，请重拍"

    page.goto(f"{live_server.url}/p/demo/submissions/{flagged['calm'].pk}/")
    page.get_by_role("button", name="通过").click()
    expect(page.locator("h1 .badge")).to_have_text("已通过")
    flagged["calm"].refresh_from_db()
    assert flagged["calm"].review_state == ReviewState.APPROVED


def test_household_reveal_is_logged(page: Page, live_server, sam, homes):
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/households/{homes['east'].uuid}/")
    cell = page.locator("#state tr", has_text="a member has a serious illness").locator("td")
    expect(cell).to_have_text("****")
    page.get_by_role("button", name="Show personal data (logged)").click()
    expect(cell).to_have_text("Yes")
    screenshot(page, "household-revealed")
    assert AccessLog.objects.filter(user=sam, kind=AccessKind.REVEAL).count() == 1
