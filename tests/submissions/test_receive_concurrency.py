"""Collect retries while the first POST is still in flight: two identical submissions at once."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections

from backend.submissions.models import Submission
from backend.submissions.services import ReceivedFile, submission_receive
from forms.services import Upload, form_publish
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
    outcomes: list[object] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        try:
            barrier.wait()
            result = submission_receive(
                project=project,
                xml=xml,
                files=[ReceivedFile("a.jpg", ContentFile(photo, name="a.jpg"), "image/jpeg")],
                submitted_by=user,
            )
            outcomes.append(result.created)
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [False, False, False, True]
    submission = Submission.objects.get()
    assert submission.complete
    assert submission.attachments.count() == 1
