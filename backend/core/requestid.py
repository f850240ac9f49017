"""A request id for every request: taken from X-Request-ID (nginx sets it) or made here, put on
every log line written while the request runs, and echoed in the response so a user's report
("it failed at 10:02, id 5f3a…") leads to the server's log lines."""

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# A client may send anything: keep ids short and printable so they cannot forge log lines.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Set the request id for the duration of the request (cheap: no I/O, one regex)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        current = given if _ACCEPTABLE.match(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs "Not Found" and errors after the middleware has
        # returned. request_finished (when the response is closed) resets it.
        request_id.set(current)
        response = self.get_response(request)
        response[HEADER] = current
        return response


def forget_request_id(**kwargs: object) -> None:
    """Connected to request_finished: lines logged between requests carry no id."""
    request_id.set("-")
