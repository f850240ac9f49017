"""An admin, in Chinese, publishes a form with an error, reads where it is, fixes it, publishes."""

import pytest
from playwright.sync_api import Page, expect

from forms.models import Form
from tests.browser import screenshot, sign_in
from tests.forms import mdforms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKEN = mdforms.WITH_MEDIA.replace(
    "| text                         |", "| txet                         |"
)


def test_publish_a_form_with_an_error_then_fixed(page: Page, live_server, alice, tmp_path):
    broken, fixed = tmp_path / "visit.md", tmp_path / "visit-fixed.md"
    broken.write_text(BROKEN, encoding="utf-8")
    fixed.write_text(mdforms.WITH_MEDIA, encoding="utf-8")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG logo")

    sign_in(page, live_server.url, "alice")
    page.select_option("#language-select", "zh-hans")
    page.get_by_role("link", name="表单").first.click()

    page.set_input_files("#id_file", str(broken))
    page.get_by_role("button", name="发布", exact=True).click()
    errors = page.locator("#errors")
    expect(errors).to_contain_text("txet")
    row = errors.locator("tbody tr").first
    expect(row.locator("td").nth(0)).to_have_text("survey")
    expect(row.locator("td").nth(1)).to_have_text("2")
    screenshot(page, "publish-error-zh")
    assert not Form.objects.exists()

    page.set_input_files("#id_file", str(fixed))
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("版本 1 已发布")
    expect(page.locator("#attachments")).to_contain_text("仍缺少文件：2 个")

    page.set_input_files("#id_files", str(logo))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#attachments")).to_contain_text("仍缺少文件：1 个")
    screenshot(page, "form-detail-zh")
    assert Form.objects.get().current_version.attachments.get(name="logo.png").size == 9
