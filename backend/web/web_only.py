"""Middleware the site's pages need and the phones' OpenRosa paths do not, passed over on those.

Collect's requests carry no session, no CSRF token and no cookie, are answered in XML or CSV
that no browser renders, and sign in in their own views (sync/auth.py: device tokens, Digest,
Basic), which also answer lockouts, errors and a busy database in OpenRosa's envelope and set
the Content-Length (sync/decorators.py). Sessions, the signed-in user, messages, the
content-security policy and the first-password redirect do nothing for them but cost every
request of an evening's sync; each is listed in settings.MIDDLEWARE in its place, through the
wrapper below, and does its usual work on every other path. (CSRF, frame options and axes stay
as Django's own classes, which `check --deploy` looks for by name; on the phones' views, all
exempt from CSRF, they cost next to nothing.) `PHONE_PATHS` (settings) says which paths are the
phones'; tests/sync/test_phone_paths.py holds it to sync/urls.py.

What a passed-over middleware would have put on the request that code on every path reads is
set here instead: `request.user` is the anonymous user (the phones' user is the view's caller).
"""

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from csp.middleware import CSPMiddleware as _ContentSecurityPolicy
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.http import HttpRequest
from django.middleware.common import CommonMiddleware as _Common

from backend.web.first_password import FirstPasswordMiddleware as _FirstPassword


@lru_cache(maxsize=1)
def _phone_paths() -> re.Pattern[str]:
    return re.compile(settings.PHONE_PATHS)


def is_phone_path(path: str) -> bool:
    return _phone_paths().match(path) is not None


def web_only(
    middleware: type, *, on_phone_paths: Callable[[HttpRequest], None] | None = None
) -> type:
    """The middleware, passed over on the phones' paths."""

    class WebOnly(middleware):
        def __call__(self, request: HttpRequest) -> Any:
            if is_phone_path(request.path_info):
                if on_phone_paths is not None:
                    on_phone_paths(request)
                return self.get_response(request)
            return super().__call__(request)

    WebOnly.__name__ = WebOnly.__qualname__ = middleware.__name__
    WebOnly.__doc__ = f"{middleware.__module__}.{middleware.__name__}, not on the phones' paths."
    return WebOnly


def _anonymous(request: HttpRequest) -> None:
    request.user = AnonymousUser()


CSPMiddleware = web_only(_ContentSecurityPolicy)
SessionMiddleware = web_only(_Sessions)
CommonMiddleware = web_only(_Common)
AuthenticationMiddleware = web_only(_Authentication, on_phone_paths=_anonymous)
MessageMiddleware = web_only(_Messages)
FirstPasswordMiddleware = web_only(_FirstPassword)
