"""Collect retries while the first POST is still in flight: two identical submissions at once."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from backend.submissions.models import Submission
from backend.submissions.services import ReceivedFile, submission_receive
from forms.services import Upload, form_publish
from tests.concurrency import at_once
from tests.factories import ProjectFactory, UserFactory
from tests.forms import mdforms
from tests.sync.submissions import jpeg, simple_xml

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")


def test_identical_submissions_at_once_give_one_record():
    project = ProjectFactory(slug="race")
    user = UserFactory(username="racer")
    form_publish(project=project, source=Upload("f.md", mdforms.SIMPLE.encode()), published_by=None)
    xml, photo = simple_xml("uuid:race"), jpeg()

    def send() -> bool:
        part = ReceivedFile("a.jpg", ContentFile(photo, name="a.jpg"), "image/jpeg")
        return submission_receive(project=project, xml=xml, files=[part], submitted_by=user).created

    outcomes = at_once(send, times=4)

    assert sorted(outcomes, key=str) == [False, False, False, True]
    submission = Submission.objects.get()
    assert submission.complete
    assert submission.attachments.count() == 1
