"""Every OpenRosa rule that is not about one endpoint, written once: CSRF, the version header,
authentication and its challenge, errors as OpenRosa envelopes, and the headers Collect reads."""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from backend.accounts.lockout import SignInLocked
from backend.core.busy import RETRY_AFTER, busy_message
from backend.core.errors import DomainError
from backend.core.memo import request_memo
from backend.core.transient import is_busy
from sync.auth import AuthRequired, Caller, TokenRejected, caller_for_request, challenge
from sync.openrosa.xml import response_message

# A view answers with a page or a file (FileResponse is no HttpResponse).
OpenRosaView = Callable[..., HttpResponseBase]
XML = "text/xml; charset=utf-8"

logger = logging.getLogger(__name__)


def openrosa_response(text: str, *, status: int, nature: str = "") -> HttpResponse:
    """An OpenRosaResponse envelope with a message Collect shows to the user."""
    return HttpResponse(response_message(text, nature=nature), status=status, content_type=XML)


def openrosa_endpoint(
    *, methods: tuple[str, ...] = ("GET",), version_header: bool = True
) -> Callable[[OpenRosaView], OpenRosaView]:
    """Wrap a view that takes (request, caller, **kwargs) and speaks to ODK Collect."""

    def decorate(view: OpenRosaView) -> OpenRosaView:
        @csrf_exempt
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, token: str | None = None, **kwargs: Any
        ) -> HttpResponseBase:
            try:
                response = _dispatch(view, request, token, methods, version_header, args, kwargs)
            except Exception as exc:
                if is_busy(exc):
                    return _with_headers(_busy())
                # A fault of the server (a database gone, a bug): Collect shows an OpenRosa
                # message and keeps the form to send again, where an HTML page would read as
                # garbage. Logged like Django's own 500s, the token redacted by the log handler.
                logger.exception("OpenRosa request failed: %s %s", request.method, request.path)
                response = openrosa_response(
                    _("The server could not handle this request. Try again later."),
                    status=500,
                    nature="error",
                )
            return _with_headers(response)

        return wrapper

    return decorate


def _busy() -> HttpResponse:
    """The request gave up waiting for the database (a locked table): Collect keeps the form
    and sends it again; logged as a warning, not as a fault."""
    logger.warning("OpenRosa request gave up waiting for the database")
    response = openrosa_response(busy_message(), status=503, nature="error")
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _dispatch(
    view: OpenRosaView,
    request: HttpRequest,
    token: str | None,
    methods: tuple[str, ...],
    version_header: bool,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponseBase:
    if request.method not in methods:
        response = openrosa_response(_("Method not allowed."), status=405, nature="error")
        response["Allow"] = ", ".join(methods)
        return response
    try:
        caller = caller_for_request(request, token)
    except AuthRequired as exc:
        response = openrosa_response(_("Sign in to continue."), status=401, nature="error")
        response["WWW-Authenticate"] = challenge(request, stale=exc.stale)
        return response
    except SignInLocked as exc:
        # 429, not 401: a challenge would have Collect ask for the password again, and every
        # attempt is refused until the lock ends anyway. Collect shows the message.
        response = openrosa_response(str(exc), status=exc.status, nature="error")
        response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
    except TokenRejected:
        return openrosa_response(
            _("This device's access was revoked. Ask your administrator for a new QR code."),
            status=403,
            nature="error",
        )
    if version_header and not request.headers.get("X-OpenRosa-Version"):
        return openrosa_response(
            _("The X-OpenRosa-Version header is missing: use ODK Collect."),
            status=400,
            nature="error",
        )
    # One phone request asks for its caller's role and areas once per list it names.
    with request_memo():
        return _call(view, request, caller, args, kwargs, token)


def _call(
    view: OpenRosaView,
    request: HttpRequest,
    caller: Caller,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    token: str | None,
) -> HttpResponseBase:
    try:
        return view(request, caller, *args, token=token, **kwargs)
    except DomainError as exc:
        return openrosa_response(str(exc), status=exc.status, nature="error")
    except RequestDataTooBig:
        return openrosa_response(_("The upload is too large."), status=413, nature="error")
    except (MultiPartParserError, TooManyFilesSent, TooManyFieldsSent) as exc:
        return openrosa_response(
            _("The upload could not be read: %(reason)s") % {"reason": exc},
            status=400,
            nature="error",
        )


def _with_headers(response: HttpResponseBase) -> HttpResponseBase:
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(settings.OPENROSA_MAX_SUBMISSION_BYTES)
    response.setdefault("Cache-Control", "private, no-cache")
    # What Django's CommonMiddleware adds elsewhere (backend/web/web_only.py): phones read it.
    if not response.streaming and not response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
    return response
