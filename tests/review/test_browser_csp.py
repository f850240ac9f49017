"""Every page is sent a strict Content-Security-Policy and works under it in Chromium: the maps
draw, htmx swaps, buttons and scripts do their work, and the browser refuses nothing."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser import sign_in, watch_csp
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each directive the policy must hold, as the header spells it.
STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def assert_strict(response: Response | None) -> None:
    assert response is not None
    policy = response.headers["content-security-policy"]
    directives = [part.strip() for part in policy.split(";")]
    for directive in STRICT:
        assert directive in directives, (response.url, policy)
    assert "unsafe" not in policy
    assert re.search(r"(^|; )img-src 'self' data:", policy), policy


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert_strict(response)


def test_supervisor_pages_work_under_the_policy(page: Page, live_server, sam, flagged, homes):
    violations = watch_csp(page)
    base = live_server.url
    visit(page, f"{base}/login/")
    sign_in(page, base, "sam")
    # The language menu submits itself on change (a script, not an inline handler).
    page.select_option("#language-select", "zh-hans")
    expect(page.get_by_role("heading", name="你的项目")).to_be_visible()
    page.select_option("#language-select", "en")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()

    visit(page, f"{base}/p/demo/review/")
    rows = page.locator("#queue-table tbody tr")
    expect(rows).to_have_count(2)
    page.select_option("#id_flag", "photo_duplicate")  # htmx swaps the table in place
    expect(rows).to_have_count(1)
    assert "flag=photo_duplicate" in page.url

    visit(page, f"{base}/p/demo/submissions/{flagged['risky'].pk}/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "3")
    expect(page.locator("#photos img")).to_have_js_property("naturalWidth", 64)

    visit(page, f"{base}/p/demo/households/{homes['east'].uuid}/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "3")
    page.get_by_role("button", name="Show personal data (logged)").click()
    expect(page.get_by_text("Personal data shown")).to_be_visible()

    visit(page, f"{base}/p/demo/dashboard/")
    expect(page.locator("svg#per-day rect.bar")).to_have_count(30)
    assert violations == [], "\n".join(violations)


def test_admin_pages_work_under_the_policy(page: Page, live_server, alice, bob, inspection):
    violations = watch_csp(page)
    base = live_server.url
    sign_in(page, base, "alice")
    for path in (
        "/",
        "/p/demo/admin/forms/",
        f"/p/demo/admin/forms/{inspection.form.xml_form_id}/",
        "/p/demo/admin/people/",
        "/p/demo/admin/areas/import",
        "/p/demo/admin/households/import",
        "/p/demo/admin/settings/",
    ):
        visit(page, f"{base}{path}")
        expect(page.locator("main h1")).to_be_visible()

    visit(page, f"{base}/p/demo/admin/people/{bob.pk}/")
    page.get_by_role("button", name="Show QR code").click()
    expect(page.locator("img#qr")).to_be_visible()
    assert page.locator("img#qr").evaluate("img => img.complete && img.naturalWidth > 0")
    assert_strict(page.request.get(page.url))
    assert violations == [], "\n".join(violations)


def test_django_admin_and_api_docs_work_under_the_policy(page: Page, live_server, project):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for username in ("anna", "ben"):
        UserFactory(username=username)
    violations = watch_csp(page)
    base = live_server.url
    visit(page, f"{base}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "secret-pass-123")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()

    visit(page, f"{base}/admin/accounts/user/")
    # The admin's own scripts run: "select all" ticks every row.
    page.click("#action-toggle")
    expect(page.locator("input.action-select:checked")).to_have_count(3)
    visit(page, f"{base}/admin/accounts/user/add/")
    expect(page.locator("#id_username")).to_be_visible()
    visit(page, f"{base}/admin/projects/project/{project.pk}/change/")
    expect(page.locator("#id_name")).to_have_value(project.name)

    # The docs page works with no internet: every request it makes stays on this server.
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    visit(page, f"{base}/api/v1/docs")
    # Swagger UI waits for the whole schema, which takes seconds to build on a busy machine.
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=60_000)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert hosts == {urlsplit(base).netloc}
    assert violations == [], "\n".join(violations)
