"""A page whose request gave up waiting for the database: 503 "try again shortly", not 500.

The app server's connections have lock and statement time limits (backend/settings.py); when
one runs out nothing is wrong with the request, the database is busy (a table locked by a
migration or a backup, a slow query), and the person should simply try again. The OpenRosa and
JSON API paths answer the same in their own envelopes.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from backend.core.transient import is_busy

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30


def busy_message() -> str:
    return _("The server is busy. Nothing was changed; try again in a minute.")


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None  # Django's own handling: logged, answered 500
        response = HttpResponse(
            f"<!doctype html><title>503</title><p>{escape(busy_message())}</p>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
