"""The site's URLs plus views that fail on purpose, for the error pages' tests."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from backend.urls import handler400, handler403, handler404, handler500
from backend.urls import urlpatterns as site


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


urlpatterns = [path("fails/", fails), path("suspicious/", suspicious), *site]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
