"""Every page of the site in Chromium, as the person who would use it, on a phone (390 px) and a
desktop (1366 px), in Chinese and in English: nothing wider than the screen except inside a
box that scrolls on purpose, no serious or critical finding of axe-core, and a screenshot of
each under var/screenshots/pages/ (BROWSER_ARTIFACTS).

The list of pages is checked against the URL configuration (in the main suite): a new page
route fails the first test until it is added here (to PAGES, with who opens it, or to
NOT_PAGES, saying why not)."""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser import screenshot, sign_in
from tests.web.site_world import *  # noqa: F403  the world's fixtures
from tests.web.site_world import Site

WIDTHS = (390, 1366)
LANGUAGES = ("zh-hans", "en")
ANONYMOUS = ""


@dataclass(frozen=True)
class Visit:
    """Who opens a page, and its address in the world of site_world.py."""

    user: str
    path: Callable[[Site], str]


def _household(site: Site) -> str:
    return str(site.household.uuid)


# Route name -> who opens it and where. Each key is a route of the URL configuration, or a route
# with "#" and a second look at it (another record, or the page a form of it answers with).
PAGES: dict[str, Visit] = {
    "web:home": Visit("sam", lambda s: "/"),
    "web:login": Visit(ANONYMOUS, lambda s: "/login/"),
    "web:password": Visit("bob", lambda s: "/password/"),
    "review:queue": Visit("sam", lambda s: "/p/demo/review/"),
    "review:submission": Visit("sam", lambda s: f"/p/demo/submissions/{s.visit.pk}/"),
    "review:submission#inspection": Visit(
        "sam", lambda s: f"/p/demo/submissions/{s.inspection.pk}/"
    ),
    "households:dashboard": Visit("sam", lambda s: "/p/demo/dashboard/"),
    "households:page": Visit("sam", lambda s: f"/p/demo/households/{_household(s)}/"),
    "households:import": Visit("alice", lambda s: "/p/demo/admin/households/import"),
    "crosscheck:records": Visit("alice", lambda s: "/p/demo/department-records/"),
    "crosscheck:household": Visit(
        "alice", lambda s: f"/p/demo/households/{_household(s)}/department-records/"
    ),
    "crosscheck:import_detail": Visit(
        "alice", lambda s: f"/p/demo/department-records/{s.department_import.pk}/"
    ),
    "statistics:tables": Visit("sam", lambda s: "/p/demo/statistics/"),
    "campaigns:list": Visit("alice", lambda s: "/p/demo/campaigns/"),
    "campaigns:campaign": Visit("alice", lambda s: f"/p/demo/campaigns/{s.campaign.pk}/"),
    "dossiers:page": Visit("sam", lambda s: f"/p/demo/households/{_household(s)}/file/"),
    "casework:queue": Visit("sam", lambda s: "/p/demo/cases/"),
    "casework:case": Visit("sam", lambda s: f"/p/demo/cases/{s.case.pk}/"),
    "casework:village": Visit(
        "sam", lambda s: f"/p/demo/cases/villages/{s.case.household.village.code}/"
    ),
    "casework:notice": Visit(
        "sam", lambda s: f"/p/demo/cases/villages/{s.case.household.village.code}/notice/"
    ),
    "casework:renovation": Visit("sam", lambda s: f"/p/demo/cases/{s.renovation.pk}/renovation/"),
    "entities:list": Visit("sam", lambda s: "/p/demo/lists/"),
    "entities:detail": Visit("sam", lambda s: "/p/demo/lists/trees/"),
    "accounts:people": Visit("alice", lambda s: "/p/demo/admin/people/"),
    "accounts:member": Visit("alice", lambda s: f"/p/demo/admin/people/{s.visit.submitted_by_id}/"),
    # The QR code page answers the member page's "Show QR code" button (see _open).
    "accounts:issue": Visit("alice", lambda s: f"/p/demo/admin/people/{s.visit.submitted_by_id}/"),
    "areas:import": Visit("alice", lambda s: "/p/demo/admin/areas/import"),
    "projects:settings": Visit("alice", lambda s: "/p/demo/admin/settings/"),
    "forms:list": Visit("alice", lambda s: "/p/demo/admin/forms/"),
    "forms:detail": Visit(
        "alice", lambda s: f"/p/demo/admin/forms/{s.inspection_form.form.xml_form_id}/"
    ),
    "web:household_fill": Visit(
        "sam", lambda s: f"/p/demo/households/{_household(s)}/fill/{s.visit.form.xml_form_id}/"
    ),
    "web:form_preview": Visit(
        "alice", lambda s: f"/p/demo/admin/forms/{s.inspection_form.form.xml_form_id}/preview"
    ),
    "exports:page": Visit("alice", lambda s: "/p/demo/exports/"),
    "audit:log": Visit("alice", lambda s: "/p/demo/access-log/"),
    # The error pages in the layout (not a route: any unknown address).
    "#not-found": Visit("sam", lambda s: "/p/demo/no-such-page/"),
}

# Routes that are not pages a person reads, and why.
NOT_PAGES = {
    "set_language": "the language menu's POST",
    "health": "the load balancer's JSON",
    "submission-attachment": "a stored photo or file",
    "web:logout": "POST, then the signed-out page (tests/web/test_browser_login.py)",
    "review:bulk": "POST",
    "review:decide": "POST",
    "review:comment": "POST",
    "households:resolve": "POST",
    "households:clear_flag": "POST",
    "crosscheck:import": "POST (the form is on the records page)",
    "campaigns:start": "POST",
    "campaigns:sign": "POST",
    "dossiers:pdf": "a PDF",
    "casework:decide": "POST",
    "casework:record": "POST",
    "casework:document_add": "POST",
    "casework:document": "a stored document",
    "casework:objection_add": "POST",
    "casework:objection_resolve": "POST",
    "casework:village_approve": "POST",
    "casework:notice_pdf": "a PDF",
    "casework:extend": "POST (the form is on the case page)",
    "forms:preview_upload": "POST, answered by the same page as web:form_preview",
    "web:household_fill_submit": "POST of the web form's answers",
    "accounts:add": "POST",
    "accounts:new": "POST",
    "accounts:change": "POST",
    "accounts:remove": "POST",
    "accounts:revoke": "POST",
    "projects:save": "POST",
    "projects:weights": "POST",
    "forms:state": "POST",
    "forms:attachments": "POST",
    "exports:list": "the exports page's list, swapped in by htmx",
    "exports:request": "POST",
    "audit:csv": "a CSV file",
}


def _routes(patterns: list, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _routes(pattern.url_patterns, joined, route)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def site_routes() -> set[str]:
    """Every named route but Django's admin, the JSON API and the phones' OpenRosa paths."""
    return {
        name
        for route, name in _routes(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/")) and not name.startswith("sync:")
    }


def test_every_page_route_is_in_the_browser_test():
    listed = {name.split("#")[0] for name in PAGES} - {""}
    unlisted = site_routes() - listed - set(NOT_PAGES)
    assert not unlisted, f"add these routes to PAGES or NOT_PAGES: {sorted(unlisted)}"
    stale = (listed | set(NOT_PAGES)) - site_routes()
    assert not stale, f"no such routes any more: {sorted(stale)}"


# The elements wider than the window (or reaching past its left edge), leaving out those inside
# a box that scrolls or clips on purpose; only the outermost of each nest.
_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const contained = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (element) => {
    const id = element.id ? "#" + element.id : "";
    const classes = [...element.classList].map((name) => "." + name).join("");
    const text = (element.innerText || "").trim().slice(0, 40).replace(/\\s+/g, " ");
    const box = element.getBoundingClientRect();
    return `${element.tagName.toLowerCase()}${id}${classes} [${Math.round(box.left)}..`
      + `${Math.round(box.right)}] "${text}"`;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    if (contained(element) || wide.some((outer) => outer.contains(element))) continue;
    wide.push(element);
  }
  // Of each, the innermost element that reaches past the edge too: the one to look at.
  const innermost = (outer) => {
    let found = outer;
    for (const element of outer.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1) found = element;
    }
    return found === outer ? describe(outer) : `${describe(outer)} because of ${describe(found)}`;
  };
  return {
    scroll: document.scrollingElement.scrollWidth, width, wide: wide.slice(0, 8).map(innermost),
  };
}
"""


def overflow(page: Page) -> list[str]:
    """What makes the page wider than its window, in words (nothing when it fits)."""
    found = page.evaluate(_OVERFLOW)
    problems = list(found["wide"])
    if found["scroll"] > found["width"]:
        problems.insert(0, f"the page is {found['scroll']} px wide in {found['width']} px")
    return problems


_AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    results = _AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + "; ".join(node["target"][0] for node in violation["nodes"][:4])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


# On a phone the decision and the flags come before the answers, in the page and for the Tab key:
# page -> (what comes first, what comes after it).
FIRST = {
    "review:submission": ("#review", "#answers"),
    "households:page": ("#flags", "#state"),
}
_BEFORE = """([first, later]) => {
  const a = document.querySelector(first), b = document.querySelector(later);
  return Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)
    && a.getBoundingClientRect().top < b.getBoundingClientRect().top;
}"""


def decision_first(page: Page, name: str) -> list[str]:
    """Whether the page's decision or flags come first on a phone's screen and in tab order."""
    if name not in FIRST or page.viewport_size["width"] > 900:
        return []
    if page.evaluate(_BEFORE, list(FIRST[name])):
        return []
    first, later = FIRST[name]
    return [f"{first} does not come before {later}"]


def _open(page: Page, base: str, name: str, path: str) -> None:
    response = page.goto(base + path)
    assert response is not None
    expected = 404 if name == "#not-found" else 200
    assert response.status == expected, f"{name} {path}: {response.status}"
    if name == "accounts:issue":
        page.locator('main form[action$="/devices"] button[type=submit]').click()
        page.wait_for_selector("img#qr")
    page.wait_for_load_state("load")


def _context(browser: Browser, base: str, user: str) -> BrowserContext:
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    if user != ANONYMOUS:
        sign_in(context.new_page(), base, user)
    return context


# A few minutes: `make test-slow` (and .ci/run) runs it; the list's own check above stays quick.
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_and_a_desktop_in_both_languages_and_passes_axe(
    browser: Browser, live_server, site: Site
):
    base = live_server.url
    problems: list[str] = []
    # BROWSER_PAGES=households:page,review:submission looks at those alone, while fixing them.
    only = set(filter(None, os.environ.get("BROWSER_PAGES", "").split(",")))
    pages = {name: visit for name, visit in PAGES.items() if not only or name in only}
    users = sorted({visit.user for visit in pages.values()})
    for user in users:
        context = _context(browser, base, user)
        page = context.new_page()
        for language in LANGUAGES:
            context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for name, visit in pages.items():
                    if visit.user != user:
                        continue
                    _open(page, base, name, visit.path(site))
                    label = name.replace(":", "-").replace("#", "-").strip("-")
                    screenshot(page, f"pages/{label}-{language}-{width}")
                    where = f"{name} ({language}, {width} px)"
                    problems += [f"{where}: {found}" for found in overflow(page)]
                    problems += [f"{where}: {found}" for found in serious_violations(page)]
                    problems += [f"{where}: {found}" for found in decision_first(page, name)]
        context.close()
    assert not problems, "\n".join(problems)
