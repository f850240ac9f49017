"""The server's input stream is let go as soon as the response leaves the app.

granian's `wsgi.input` keeps what it read of the upload in native memory for as long as the
stream object lives, and a Django request lives until Python's cyclic garbage collector frees it
(`request.user` is a closure over the request: a reference cycle). The collector counts objects,
not the native bytes behind them, so under a stream of photo uploads the app processes grew by
megabytes a second. Dropping the two references to the stream when the response is returned frees
that memory at once (docs/performance.md, "the app server is granian").
"""

import io
from collections.abc import Callable

from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse


class ReleaseRequestBodyMiddleware:
    """Outermost: by the time the response passes here, nothing reads the request body again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        release_input(request)
        return response


def release_input(request: HttpRequest) -> None:
    """Point the request at an empty stream; uploaded files already parsed stay readable."""
    request.META["wsgi.input"] = io.BytesIO()
    if hasattr(request, "_stream"):
        # Django's own wrapper around the server's stream (WSGIRequest): a private attribute,
        # replaced by the same kind of object, so a late read finds an empty body, not an error.
        # (django-stubs types it as BinaryIO; WSGIRequest itself puts a LimitedStream there.)
        request._stream = LimitedStream(request.META["wsgi.input"], 0)  # type: ignore[assignment]
