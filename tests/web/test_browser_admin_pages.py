"""The exports, access-log, people and error pages in Chromium: they fit a phone (390 px) and a
desktop (1366 px) in both languages with no sideways scrolling, work under the
Content-Security-Policy, and the exports list follows an unfinished export by itself."""

import pytest
from playwright.sync_api import Page, expect

from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.exports.models import Export, ExportState
from tests.browser import screenshot, sign_in, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1366)


def fits(page: Page, name: str, width: int) -> None:
    screenshot(page, f"{name}-{width}")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name} is {scroll} px wide at {width}"


def test_admin_pages_fit_both_widths_in_both_languages(
    page: Page, live_server, alice, bob, project
):
    access_log_record(
        user=bob,
        project_id=project.pk,
        kind=AccessKind.VIEW_SUBMISSION,
        object_type="submission",
        object_ids=[12345],
        ip="192.168.10.20",
    )
    Export.objects.create(
        project=project,
        kind="cases_xlsx",
        requested_by=alice,
        state=ExportState.FAILED,
        error="The export failed (OSError).",
    )
    violations = watch_csp(page)
    base = live_server.url
    sign_in(page, base, "alice")
    pages = {
        "exports": "/p/demo/exports/",
        "access-log": "/p/demo/access-log/",
        "people": "/p/demo/admin/people/",
        "member": f"/p/demo/admin/people/{bob.pk}/",
        "not-found": "/p/demo/no-such-page/",
        "password": "/password/",
    }
    for language in ("en", "zh-hans"):
        page.select_option("#language-select", language)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in pages.items():
                page.goto(base + path)
                expect(page.locator("main h1")).to_be_visible()
                fits(page, f"{name}-{language}", width)
    assert violations == [], "\n".join(violations)


def test_the_exports_list_follows_an_unfinished_export(page: Page, live_server, sam, project):
    export = Export.objects.create(project=project, kind="households_csv", requested_by=sam)
    violations = watch_csp(page)
    sign_in(page, live_server.url, "sam")
    page.goto(live_server.url + "/p/demo/exports/")
    expect(page.locator("#exports [data-state=queued]")).to_have_count(1)

    Export.objects.filter(pk=export.pk).update(
        state=ExportState.DONE, progress=100, filename="households.csv", size=10
    )

    # htmx asks for the list again every 3 seconds while an export is unfinished.
    expect(page.locator("#exports [data-state=done]")).to_have_count(1, timeout=8_000)
    expect(page.get_by_role("link", name="Download households.csv")).to_be_visible()
    assert violations == [], "\n".join(violations)
