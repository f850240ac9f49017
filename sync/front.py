"""The phones' OpenRosa paths answered straight from the middleware, past the pages' part of
the request cycle.

An evening's sync is thousands of phones asking for the form list and sending visits, each
request a fraction of a millisecond of the app's own work; Django's path through the rest of
MIDDLEWARE and its URL resolver around each one cost as much again. This middleware sits after
every middleware the phones' requests need (the client's address, the request id, the security
headers, the language, the refusal of NUL) and, for a path of settings.PHONE_PATHS, resolves it
in sync/urls.py alone and calls the view itself. What the middleware passed over would do for
these views is done here or by the views:
- CSRF: every OpenRosa view is exempt (sync/decorators.py).
- sessions, the signed-in user, messages, the first-password redirect: nothing for Collect
  (backend/web/web_only.py); `request.user` is the anonymous user, as there.
- a busy database, axes' lockouts: the OpenRosa decorator answers both in OpenRosa's envelope.
- frame options: the same header, set by Django's own middleware's response step.
A phone path that sync/urls.py does not resolve (a slug with a dot) goes down the ordinary
chain, to the site's 404.
"""

from collections.abc import Callable
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, URLResolver, include, path
from django.urls.resolvers import RegexPattern

from backend.web.web_only import is_phone_path

Respond = Callable[[HttpRequest], HttpResponseBase]


@lru_cache(maxsize=1)
def _phone_urls() -> URLResolver:
    # sync/urls.py as the site's URLconf includes it (first), its views named "sync:…".
    return URLResolver(RegexPattern(r"^/"), [path("", include("sync.urls", namespace="sync"))])


class PhonePathsMiddleware:
    def __init__(self, get_response: Respond) -> None:
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_phone_path(request.path_info):
            return self.get_response(request)
        try:
            match = _phone_urls().resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        request.resolver_match = match
        request.user = AnonymousUser()
        response = match.func(request, *match.args, **match.kwargs)
        return self.frame_options.process_response(request, response)
