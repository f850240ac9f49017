"""Structured logs: one JSON object a line, with the request id, for a log collector; device
tokens taken out of every line."""

import json
import logging
import re
from datetime import UTC, datetime

from backend.core.requestid import request_id

# Attributes every LogRecord has; anything else was passed in `extra=` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# A device token is the path segment after "key/" (`/key/<token>/projects/...`); Django's resolver
# writes paths without their leading slash, hence no slash before "key".
_TOKEN_IN_PATH = re.compile(r"\bkey/[^/\s'\"?#&]+")
_REDACTED = "key/<redacted>"
# Values that cannot hold a path: left as they are, so numbers stay numbers in JSON.
_PLAIN = (bool, int, float, type(None))


def redact(text: str) -> str:
    """Replace the device token of any `/key/<token>/` path in the text."""
    return _TOKEN_IN_PATH.sub(_REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """Take device tokens out of a record before any handler writes it: its message (Django's
    "Not Found: /key/<token>/..."), its extras (the request Django attaches) and its traceback.

    Only the token's hash is stored; a log line holding the token would undo that. Passwords and
    Authorization headers are never put in a record (axes masks them, Django's error reports
    too), so there is nothing else to take out here.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "key/" in message:
            record.msg, record.args = redact(message), None
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD and not isinstance(value, _PLAIN):
                text = str(value)
                if "key/" in text:
                    setattr(record, name, redact(text))
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class ClientFaultFilter(logging.Filter):
    """Log a request refused for the client's fault (a Host header the site does not serve,
    sent by a scanner or a misconfigured proxy) as a warning: Django writes it as an error, which
    would page whoever watches errors for something nobody on the server can fix."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        # exc_text when a filter has already written (and redacted) the traceback.
        if record.exc_text:
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # default=str: an extra that JSON cannot hold (a request, a path) is still written.
        return json.dumps(entry, ensure_ascii=False, default=str)
