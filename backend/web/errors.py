"""The pages for 400, 403, 404 and 500, inside the site's layout and in the reader's language.

Django calls these for any error a view raises (`handler400` … in backend/urls.py) when DEBUG is
off, and `csrf_failure` for a form refused by the CSRF check (CSRF_FAILURE_VIEW). Each says what
happened and where to go next; a refused request changed nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, lines: list[str]) -> HttpResponse:
    context = {"status": status, "title": title, "lines": lines, "error_page": True}
    return render(request, "web/error.html", context, status=status)


def bad_request(
    request: HttpRequest, exception: Exception | None = None, *, message: str = ""
) -> HttpResponse:
    """400: the request could not be used; `message`, when given, is a service's own sentence
    for people (InvalidInput), else the page says it in general words."""
    lines = [
        message or _("Something in the address or the form was not in a form we can use."),
        _("Nothing was changed. Go back, check what you entered and try again."),
    ]
    return _page(request, 400, _("This request could not be read"), lines)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: signed in, but the role or area does not allow this."""
    lines = [
        _("Your role in this project does not allow this, or it lies outside your area."),
        _("Nothing was changed. If your work needs it, ask your project's administrator."),
    ]
    return _page(request, 403, _("You may not do this"), lines)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: no such page, or one the reader may not see (the two look the same on purpose)."""
    lines = [
        _("There is no page at this address, or it is not open to you."),
        _("Check the address, or start again from your projects."),
    ]
    return _page(request, 404, _("Page not found"), lines)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent without a valid CSRF token: usually a page left open too long."""
    lines = [
        _("The form was sent from a page that has expired, or your browser refused its cookie."),
        _("Nothing was changed. Reload the page and send the form again."),
    ]
    return _page(request, 403, _("The form could not be sent"), lines)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, without the context processors: the database or the session may be what failed, so
    the page reads neither (no signed-in user, no project menu)."""
    lines = [
        _("Something went wrong on the server. The error has been recorded."),
        _(
            "What you were doing may not have been saved: go back, check, and try again later. "
            "If it keeps happening, tell your administrator."
        ),
    ]
    context = {
        "status": 500,
        "error_page": True,
        "title": _("Something went wrong"),
        "lines": lines,
        "request": request,
        # From the cookie alone: the language menu still works.
        "csrf_token": get_token(request),
    }
    body = loader.get_template("web/error.html").render(context)
    return HttpResponse(body, status=500)
