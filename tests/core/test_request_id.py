import json
import logging

from django.test import Client

from backend.core.logs import JsonFormatter, RequestIdFilter
from backend.core.requestid import request_id


def test_a_given_request_id_is_echoed(db):
    response = Client().get("/health", headers={"X-Request-ID": "nginx-5f3a.1"})
    assert response["X-Request-ID"] == "nginx-5f3a.1"


def test_a_request_without_one_gets_a_fresh_id(db):
    first = Client().get("/health")["X-Request-ID"]
    second = Client().get("/health")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_an_id_that_could_forge_log_lines_is_replaced(db):
    response = Client().get("/health", headers={"X-Request-ID": 'x" level="ERROR'})
    assert response["X-Request-ID"] != 'x" level="ERROR'
    assert len(response["X-Request-ID"]) == 32


def test_the_id_reaches_log_lines_written_during_the_request(db, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get("/no-such-page", headers={"X-Request-ID": "abc-123"})
    assert [record.request_id for record in caplog.records] == ["abc-123"]
    assert request_id.get() == "-"  # reset once the request is over


def test_json_lines_carry_level_message_request_id_and_extras():
    record = logging.makeLogRecord(
        {"name": "backend.ops", "levelname": "INFO", "msg": "job %s done", "args": ("cleanup",)}
    )
    record.job = "cleanup"
    token = request_id.set("req-7")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO"
    assert line["logger"] == "backend.ops"
    assert line["message"] == "job cleanup done"
    assert line["request_id"] == "req-7"
    assert line["job"] == "cleanup"
    assert line["time"].endswith("+00:00")


def test_json_lines_hold_the_traceback_and_any_extra_value():
    try:
        raise ValueError("bad")
    except ValueError:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": __import__("sys").exc_info()})
    record.path = object()
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: bad" in line["exception"]
    assert line["path"].startswith("<object")
