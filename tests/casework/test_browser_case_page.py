"""The case page on a phone-sized screen (390 px wide): everything fits, nothing scrolls
sideways except the tables that scroll inside their own box."""

import pytest
from playwright.sync_api import Page

from tests.browser import screenshot, sign_in
from tests.casework.conftest import approve
from tests.casework.pages import case_url, opened

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_case_page_fits_a_phone_screen(page: Page, live_server, world):
    case = approve(world, opened(world, "PHONE-1", reason="家庭成员突发重病,收入骤减"))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "cadre_a1")
    page.goto(live_server.url + case_url(case))
    page.wait_for_selector("#timeline")
    screenshot(page, "case-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
