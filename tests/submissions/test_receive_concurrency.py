"""Collect retries while the first POST is still in flight: two identical submissions at once."""

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections

from backend.evidence.models import PhotoEvidence
from backend.households.submission_access import may_edit_submission
from backend.pipeline.tasks import submission_evidence_check, submission_merge
from backend.submissions.models import Submission
from backend.submissions.services import ReceivedFile, submission_receive
from forms.services import Upload, form_publish
from tests.concurrency import at_once
from tests.factories import ProjectFactory, UserFactory
from tests.forms import mdforms
from tests.sync.conftest import PHOTO_FORM
from tests.sync.submissions import jpeg, photos_xml, simple_xml

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")


def test_identical_submissions_at_once_give_one_record():
    project = ProjectFactory(slug="race")
    user = UserFactory(username="racer")
    may_edit = partial(may_edit_submission, user)
    form_publish(project=project, source=Upload("f.md", mdforms.SIMPLE.encode()), published_by=None)
    xml, photo = simple_xml("uuid:race"), jpeg()

    def send() -> bool:
        part = ReceivedFile("a.jpg", ContentFile(photo, name="a.jpg"), "image/jpeg")
        return submission_receive(
            project=project, xml=xml, files=[part], submitted_by=user, may_edit=may_edit
        ).created

    outcomes = at_once(send, times=4)

    assert sorted(outcomes, key=str) == [False, False, False, True]
    submission = Submission.objects.get()
    assert submission.complete
    assert submission.attachments.count() == 1


def test_retries_while_photos_are_checked_never_deadlock():
    """Phones retrying one instance while its photos are checked: the evidence check inserts
    rows pointing at the submission and updates its attachment rows, the intake locks both.
    Locked in one order, they wait for each other; none is ended as a deadlock (a 500)."""
    project = ProjectFactory(slug="race")
    user = UserFactory(username="racer")
    may_edit = partial(may_edit_submission, user)
    form_publish(project=project, source=Upload("p.md", PHOTO_FORM.encode()), published_by=None)
    xml = photos_xml("uuid:deadlock")
    photos = {
        name: jpeg((40 * i, 10, 10)) for i, name in enumerate(("front.jpg", "r1.jpg", "r2.jpg"))
    }

    def send() -> None:
        parts = [ReceivedFile(n, ContentFile(b, name=n), "image/jpeg") for n, b in photos.items()]
        submission_receive(
            project=project, xml=xml, files=parts, submitted_by=user, may_edit=may_edit
        )

    send()
    submission = Submission.objects.get()
    submission_merge(submission.pk)
    errors: list[str] = []
    checked = threading.Event()

    def retry_until_checked() -> None:
        while not checked.is_set():
            _record_failure(send, errors)

    def check_again_and_again() -> None:
        try:
            for _ in range(20):
                # Undo the last check so the next one writes its rows again.
                PhotoEvidence.objects.filter(submission=submission).delete()
                submission.attachments.update(image_ok=None)
                _record_failure(partial(submission_evidence_check, submission.pk), errors)
        finally:
            checked.set()

    threads = [threading.Thread(target=_own_connection(retry_until_checked)) for _ in range(3)]
    threads.append(threading.Thread(target=_own_connection(check_again_and_again)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert submission.attachments.filter(image_ok=True).count() == 3


def _record_failure(call: Callable[[], object], errors: list[str]) -> None:
    try:
        call()
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


def _own_connection(run: Callable[[], None]) -> Callable[[], None]:
    def wrapped() -> None:
        try:
            run()
        finally:
            connections.close_all()

    return wrapped
