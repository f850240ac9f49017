"""Requests carrying a NUL character are refused up front.

PostgreSQL text cannot hold NUL (0x00), and no name, filter or answer needs one. Without this, a
`?form=%00` or a JSON comment with `\\u0000` would travel to a query and fail there as a 500;
SQLite would store it. Either way the caller deserves a plain 400 that says why.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = _("The request contains a NUL character (%00), which no field accepts.")
            if request.path.startswith("/api/"):
                body = {"code": "invalid_request", "message": message, "details": []}
                return JsonResponse(body, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
        return True
    # JSON bodies are small (API calls); multipart uploads are left to the form's own checks.
    return request.content_type == "application/json" and b"\\u0000" in request.body
