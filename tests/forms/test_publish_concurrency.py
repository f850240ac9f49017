"""Two admins publish the same form at once: the row lock makes one create and the other no-op."""

import pytest
from django.db import connection

from forms.models import Form, FormVersion
from forms.services import Upload, form_publish
from tests.concurrency import at_once
from tests.factories import ProjectFactory
from tests.forms import mdforms

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locking needs PostgreSQL (SQLite serialises writers anyway)")


def test_concurrent_identical_publishes_create_one_version():
    project = ProjectFactory(slug="race")

    def publish() -> bool:
        source = Upload("form.md", mdforms.SIMPLE.encode())
        return form_publish(project=project, source=source, published_by=None).created

    outcomes = at_once(publish, times=4)

    assert sorted(outcomes, key=str) == [False, False, False, True]
    assert Form.objects.count() == 1
    assert FormVersion.objects.count() == 1
