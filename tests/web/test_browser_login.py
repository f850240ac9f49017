import pytest
from playwright.sync_api import Page, expect

from backend.accounts.models import User
from tests.browser import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signs_in_switches_to_chinese_and_signs_out(page: Page, live_server, sam: User):
    sign_in(page, live_server.url, "sam")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    expect(page.get_by_text("Demo project")).to_be_visible()

    page.select_option("#language-select", "zh-hans")
    expect(page.get_by_role("heading", name="你的项目")).to_be_visible()
    screenshot(page, "home-zh")

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="已退出")).to_be_visible()


def test_wrong_password_shows_an_error(page: Page, live_server, sam: User):
    sign_in(page, live_server.url, "sam", password="wrong")
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "login-error")
