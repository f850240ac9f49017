"""Device tokens, passwords and Authorization headers never reach a log line."""

import base64
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from backend.core.logs import JsonFormatter

TOKEN = "Tk" + "x7_Q-" * 12  # the shape of a device token: 62 URL-safe characters
PASSWORD = "hunter2-not-logged"


def _lines(records: list[logging.LogRecord]) -> list[str]:
    """The records as the configured console handler writes them, plain and as JSON."""
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    lines = []
    for record in records:
        assert console.filter(record)
        lines += [console.format(record), JsonFormatter().format(record)]
    return lines


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/key/{TOKEN}/nowhere", 404),
        (f"/key/{TOKEN}/projects/demo/formList", 403),  # unknown token
        (f"/key/{TOKEN}/projects/demo/submission?deviceID=x", 403),
    ],
)
def test_a_token_path_that_fails_is_logged_without_its_token(db, caplog, path, status):
    with caplog.at_level(logging.INFO):
        response = Client().get(path, headers={"X-OpenRosa-Version": "1.0"})

    assert response.status_code == status
    lines = _lines(caplog.records)
    assert any("key/<redacted>" in line for line in lines)
    assert not [line for line in lines if TOKEN in line]
    request_extra = json.loads(JsonFormatter().format(caplog.records[0]))["request"]
    assert "/key/<redacted>/" in request_extra


def test_a_traceback_is_written_without_the_token(caplog):
    logger = logging.getLogger("backend.tests")
    try:
        raise ValueError(f"no project under key/{TOKEN}/projects")
    except ValueError:
        with caplog.at_level(logging.ERROR):
            logger.exception("failed")

    lines = _lines(caplog.records)

    assert all("key/<redacted>" in line and TOKEN not in line for line in lines)


def test_failed_sign_ins_log_neither_passwords_nor_authorization(bob, caplog):
    credentials = base64.b64encode(f"bob:{PASSWORD}".encode()).decode()
    with caplog.at_level(logging.DEBUG):
        Client().post(reverse("web:login"), {"username": "bob", "password": PASSWORD})
        Client().get(
            "/projects/demo/formList",
            headers={"X-OpenRosa-Version": "1.0", "Authorization": f"Basic {credentials}"},
            secure=True,
        )
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer hv_{PASSWORD}"})

    lines = _lines(caplog.records)

    assert any("AXES" in line for line in lines)  # the failures were logged...
    assert not [line for line in lines if PASSWORD in line or credentials in line]
