"""A paper visit entered in Chromium: Enketo (the bundle `make enketo` builds) opens the visit form
for a household, a supervisor answers and submits, and the visit lands on the household as a
phone's would. Skipped when the bundle is not built; CI builds it (`make install` runs
`make enketo`)."""

import pytest
from playwright.sync_api import Page, expect

from backend.households.models import Household
from backend.submissions.models import Channel, Submission
from backend.web.vendor import enketo_built
from tests.browser import screenshot, sign_in, watch_csp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not enketo_built(), reason="the Enketo bundle is not built: make enketo"),
]

# enketo-core sets `onsubmit="return false;"` on the form (its form.js); the policy refuses it,
# and the page script's listener keeps the form from being sent away instead. Nothing else.
# Chromium reports it twice: the DOM event and a console line.
ENKETO_ONSUBMIT = ("script-src-attr blocked inline", "Executing inline event handler")


def refused(violations: list[str]) -> list[str]:
    """The page's violations besides enketo-core's refused onsubmit attribute."""
    return [v for v in violations if not v.startswith(ENKETO_ONSUBMIT)]


def test_a_supervisor_enters_a_paper_visit_in_the_browser(
    page: Page, live_server, sam, forms, households
):
    household = households[0]
    violations = watch_csp(page)
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/households/{household.uuid}/")
    page.click("#web-forms a[href$='/fill/visit/']")
    expect(page.locator("body[data-webform=ready]")).to_have_count(1)
    # The household is chosen already, as on the phone after picking it from the list.
    expect(page.locator(f"input[name='/data/hh'][value='{household.uuid}']")).to_be_checked()
    page.fill("input[name='/data/size']", "5")
    page.fill("input[name='/data/income']", "4200.5")
    page.fill("input[name='/data/grade']", "B")
    screenshot(page, "web-form-filled")
    page.click("#webform-submit")
    page.wait_for_url(f"**/p/demo/households/{household.uuid}/")
    submission = Submission.objects.get()
    assert (submission.channel, submission.submitted_by) == (Channel.WEB, sam)
    assert submission.processed_at is not None
    household = Household.objects.get(pk=household.pk)
    assert household.properties["income_pc"] == "4200.5"
    assert household.properties["house_grade"] == "B"
    assert household.version == households[0].version + 1
    assert refused(violations) == [], "\n".join(violations)


def test_a_form_is_previewed_in_the_browser_before_it_is_published(page: Page, live_server, alice):
    from tests.forms.mdforms import VISIT

    violations = watch_csp(page)
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/p/demo/admin/forms/")
    page.set_input_files(
        "#publish input[type=file][name=file]",
        files=[{"name": "visit.md", "mimeType": "text/plain", "buffer": VISIT.encode()}],
    )
    page.click("#publish button#preview")
    expect(page.locator("body[data-webform=ready]")).to_have_count(1)
    expect(page.locator("input[name='/data/income']")).to_be_visible()
    expect(page.locator("#webform-submit")).to_have_count(0)
    assert refused(violations) == []


def test_the_shipped_visit_form_opens_for_a_household_without_problems(
    page: Page, live_server, sam, visit, households
):
    household = households[0]
    violations = watch_csp(page)
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/p/demo/households/{household.uuid}/fill/hh_visit/")
    expect(page.locator("body[data-webform=ready]")).to_have_count(1)
    # Enketo reports what it could not load (an instance, a calculation) in the status line.
    expect(page.locator("#webform-status")).to_have_text("")
    # The note reads the household's line of the list, as the phone's does; the form speaks the
    # page's language.
    expect(page.locator("form.or")).to_contain_text(household.code)
    expect(page.locator("#form-languages")).to_have_value("en")
    # Enketo's language menu has no label: the page script names it for screen readers.
    expect(page.get_by_label("Language of the form")).to_have_value("en")
    expect(page.locator("form.or")).to_contain_text("Did you meet the household head")
    screenshot(page, "web-form-hh-visit")
    assert refused(violations) == []
