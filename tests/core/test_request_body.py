"""The server's input stream is freed when the response leaves the app, not when the garbage
collector gets round to the request."""

import gc
import weakref

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from backend.core.request_body import ReleaseRequestBodyMiddleware


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.FILES["photo"].read())


def test_the_input_stream_is_freed_with_the_request_still_alive():
    photo = b"\xff\xd8" + bytes(200_000)
    request = RequestFactory().post(
        "/upload", {"photo": SimpleUploadedFile("photo.jpg", photo, "image/jpeg")}
    )
    # As Django's authentication does (request.user is a closure over the request): a cycle,
    # so only the cyclic collector would free the request and, with it, the server's stream.
    request.myself = request
    server_stream = weakref.ref(request.META["wsgi.input"])

    gc.disable()
    try:
        response = ReleaseRequestBodyMiddleware(_view)(request)
        assert server_stream() is None
    finally:
        gc.enable()
    assert response.content == photo
    # Parsed uploads stay readable; a late read of the body finds it empty, not an error.
    assert request.FILES["photo"].size == len(photo)
    assert request.read() == b""
