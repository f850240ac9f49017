"""Projects where a registered household joins the list only once a supervisor approves it."""

import uuid
from xml.etree import ElementTree

import pytest

from backend.core.errors import InvalidInput
from backend.households.models import Household
from backend.pipeline.intake import submission_decide
from backend.submissions.models import ReviewState
from tests.households.entity_forms import register_xml, send, visit_xml

MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"


@pytest.fixture
def approval(project):
    project.household_creation_needs_approval = True
    project.save()


def test_registration_waits_for_approval_then_creates(
    collect, forms, village, approval, sam, django_capture_on_commit_callbacks
):
    entity = str(uuid.uuid4())
    registration = send(collect, register_xml(entity))
    assert not Household.objects.exists()
    assert registration.entity_error == ""

    with django_capture_on_commit_callbacks(execute=True):
        submission_decide(submission=registration, actor=sam, state=ReviewState.APPROVED)

    household = Household.objects.get(uuid=entity)
    assert household.versions.get().submission == registration
    registration.refresh_from_db()
    assert (registration.review_state, registration.reviewed_by) == (ReviewState.APPROVED, sam)


def test_rejected_registration_never_creates(
    collect, forms, village, approval, sam, django_capture_on_commit_callbacks
):
    registration = send(collect, register_xml(str(uuid.uuid4())))

    with django_capture_on_commit_callbacks(execute=True):
        submission_decide(submission=registration, actor=sam, state=ReviewState.REJECTED)

    assert not Household.objects.exists()


def test_updates_do_not_wait_for_approval(
    collect, forms, village, approval, sam, django_capture_on_commit_callbacks
):
    entity = str(uuid.uuid4())
    registration = send(collect, register_xml(entity))
    with django_capture_on_commit_callbacks(execute=True):
        submission_decide(submission=registration, actor=sam, state=ReviewState.APPROVED)

    send(collect, visit_xml(entity, 1, size=8))

    assert Household.objects.get(uuid=entity).member_count == 8


def test_approving_twice_creates_once(
    collect, forms, village, approval, sam, django_capture_on_commit_callbacks
):
    registration = send(collect, register_xml(str(uuid.uuid4())))

    with django_capture_on_commit_callbacks(execute=True):
        submission_decide(submission=registration, actor=sam, state=ReviewState.APPROVED)
        submission_decide(submission=registration, actor=sam, state=ReviewState.APPROVED)

    assert Household.objects.get().versions.count() == 1


def test_phones_are_told_the_list_needs_approval(collect, forms, village, approval):
    root = ElementTree.fromstring(collect("get", "formList?formID=visit").content)
    manifest_url = root[0].find("{http://openrosa.org/xforms/xformsList}manifestUrl").text

    (media,) = ElementTree.fromstring(
        collect("get", manifest_url.removeprefix("http://testserver")).content
    )

    assert media.get("type") == "approvalEntityList"


def test_unknown_decision_is_refused(collect, forms, village, sam):
    registration = send(collect, register_xml(str(uuid.uuid4())))

    with pytest.raises(InvalidInput):
        submission_decide(submission=registration, actor=sam, state="maybe")
