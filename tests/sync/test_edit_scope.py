"""An edit (deprecatedID) or a resend supersedes only what its sender may edit."""

from xml.etree import ElementTree

import pytest

from backend.submissions.models import Submission
from tests.sync.submissions import jpeg, simple_xml

RESPONSE_NS = "{http://openrosa.org/http/response}"


@pytest.fixture(autouse=True)
def _form(simple):
    """The simple form with a photo."""


@pytest.fixture
def original(townships, phone_of):
    """Worker A's submission with a photo, about a household of township A."""
    response = phone_of(townships.worker_a, simple_xml("uuid:a-1"), ("a.jpg", jpeg()))
    assert response.status_code == 201
    return Submission.objects.get(instance_id="uuid:a-1")


def message(response) -> str:
    return ElementTree.fromstring(response.content).find(f"{RESPONSE_NS}message").text


def test_another_worker_cannot_edit_a_submission(townships, phone_of, original):
    edit = simple_xml("uuid:b-1", name="taken", deprecated="uuid:a-1")
    response = phone_of(townships.worker_b, edit)

    assert response.status_code == 403
    assert "belongs to someone else" in message(response)
    assert list(Submission.objects.values_list("instance_id", flat=True)) == ["uuid:a-1"]
    original.refresh_from_db()
    assert original.is_current


def test_another_worker_cannot_add_files_to_a_submission(townships, phone_of, project, simple):
    Submission.objects.all().delete()
    first = simple_xml("uuid:a-2")
    assert phone_of(townships.worker_a, first).status_code == 201
    attachment = Submission.objects.get().attachments.get()
    assert attachment.state == "expected"

    response = phone_of(townships.worker_b, first, ("a.jpg", jpeg()))

    assert response.status_code == 403
    attachment.refresh_from_db()
    assert attachment.state == "expected"


def test_a_supervisor_of_another_township_cannot_edit_it(townships, phone_of, original):
    original.village = townships.a1
    original.save()
    edit = simple_xml("uuid:s-1", name="fixed", deprecated="uuid:a-1")
    assert phone_of(townships.supervisor_b, edit).status_code == 403
    assert phone_of(townships.supervisor_a, edit).status_code == 201
    original.refresh_from_db()
    assert not original.is_current


def test_the_sender_edits_their_own(townships, phone_of, original):
    edit = simple_xml("uuid:a-1-edit", name="again", deprecated="uuid:a-1")
    response = phone_of(townships.worker_a, edit)
    assert response.status_code == 201
    assert Submission.objects.get(instance_id="uuid:a-1-edit").supersedes == original
