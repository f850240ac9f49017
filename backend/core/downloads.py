"""Send a stored file to a browser after the caller has checked permission, without the app
streaming large photos itself when something better is configured:

- MEDIA_X_ACCEL_PREFIX set (nginx in front, files on disk): an empty response whose
  X-Accel-Redirect names nginx's internal location; nginx sends the bytes.
- object storage (django-storages S3): a redirect to a signed URL that expires after
  S3_SIGNED_URL_SECONDS; the store sends the bytes.
- otherwise (the embedded default): the app streams the file in chunks.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def stored_file_response(
    request: HttpRequest,
    storage_name: str,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = False,
) -> HttpResponseBase:
    """Answer with the file stored under `storage_name`, shown inline as `filename` (or saved
    under that name with `as_attachment`)."""
    disposition = content_disposition_header(as_attachment=as_attachment, filename=filename) or (
        "attachment" if as_attachment else "inline"
    )
    if is_object_storage():
        return _signed_redirect(storage_name, disposition=disposition, content_type=content_type)
    if settings.MEDIA_X_ACCEL_PREFIX:
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_location(storage_name)
    else:
        response = FileResponse(default_storage.open(storage_name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    # Permission-checked content: never kept by shared caches.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def accel_location(storage_name: str) -> str:
    """Where nginx's internal location finds a stored file (MEDIA_X_ACCEL_PREFIX set)."""
    return settings.MEDIA_X_ACCEL_PREFIX.rstrip("/") + "/" + quote(storage_name)


def is_object_storage() -> bool:
    return hasattr(default_storage, "bucket_name") and hasattr(default_storage, "querystring_auth")


def _signed_redirect(storage_name: str, *, disposition: str, content_type: str) -> HttpResponse:
    url = default_storage.url(  # type: ignore[call-arg]  # S3Storage.url takes parameters
        storage_name,
        parameters={
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
        },
    )
    response = HttpResponseRedirect(url)
    # The signed URL expires: a browser must ask the app again rather than reuse it.
    response["Cache-Control"] = "private, no-store"
    return response
