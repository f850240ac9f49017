"""Two admins publish the same form at once: the row lock makes one create and the other no-op."""

import threading

import pytest
from django.db import connection, connections

from forms.models import Form, FormVersion
from forms.services import Upload, form_publish
from tests.factories import ProjectFactory
from tests.forms import mdforms

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locking needs PostgreSQL (SQLite serialises writers anyway)")


def test_concurrent_identical_publishes_create_one_version():
    project = ProjectFactory(slug="race")
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def publish() -> None:
        try:
            barrier.wait()
            result = form_publish(
                project=project,
                source=Upload("form.md", mdforms.SIMPLE.encode()),
                published_by=None,
            )
            results.append(result.created)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert Form.objects.count() == 1
    assert FormVersion.objects.count() == 1
