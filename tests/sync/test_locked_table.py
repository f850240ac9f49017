"""A table locked for long (a migration, a backup, a stuck session) costs a phone a quick 503,
and the rest of the server keeps answering: the app server's connections have time limits."""

import threading
import time
from xml.etree import ElementTree

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from backend.settings import _time_limits
from backend.submissions.models import Submission
from tests.sync.submissions import jpeg, multipart, simple_xml

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RESPONSE_NS = "{http://openrosa.org/http/response}"


@pytest.fixture
def limited_connection():
    """The test's connection opened as the app server opens its own (docker/serve.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("time limits are PostgreSQL's")
    options = connection.settings_dict.setdefault("OPTIONS", {})
    saved = options.get("options")
    options["options"] = _time_limits(statement_ms=10_000, lock_ms=300)
    connection.close()
    yield
    if saved is None:
        options.pop("options")
    else:
        options["options"] = saved
    connection.close()


@pytest.fixture
def locked_submissions():
    """Another session holds the submissions table in ACCESS EXCLUSIVE mode until released."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE submissions_submission IN ACCESS EXCLUSIVE MODE")
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    yield release
    release.set()
    holder.join()


def test_a_submission_waiting_on_a_locked_table_gets_a_quick_503(
    limited_connection, collect, simple, locked_submissions
):
    data = lambda: multipart(simple_xml("uuid:locked"), ("a.jpg", jpeg()))  # noqa: E731

    started = time.monotonic()
    response = collect("post", "submission", data=data())
    waited = time.monotonic() - started

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    message = ElementTree.fromstring(response.content).find(f"{RESPONSE_NS}message").text
    assert message.startswith("The server is busy")
    assert waited < 5
    # Meanwhile the form list and the health check answer.
    assert collect("get", "formList").status_code == 200
    assert Client().get("/health").status_code == 200

    locked_submissions.set()
    time.sleep(0.2)
    assert collect("post", "submission", data=data()).status_code == 201
    assert Submission.objects.get().complete


def test_pages_and_the_api_answer_503_while_the_table_is_locked(
    limited_connection, project, alice, locked_submissions
):
    browser = Client()
    browser.force_login(alice)

    page = browser.get(f"/p/{project.slug}/review/")
    api = browser.get(f"/api/v1/projects/{project.slug}/submissions")

    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "The server is busy" in page.content.decode()
    assert api.status_code == 503
    assert api.json()["code"] == "server_busy"


def test_settings_turn_the_limits_into_connection_options():
    assert _time_limits(statement_ms=30_000, lock_ms=5_000) == (
        "-c statement_timeout=30000 -c lock_timeout=5000"
    )
    assert _time_limits(statement_ms=0, lock_ms=5_000) == "-c lock_timeout=5000"
    assert _time_limits(statement_ms=0, lock_ms=0) == ""
