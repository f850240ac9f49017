"""Submissions that changed no household still reach their own village's supervisors, and only
they approve a registration there."""

import uuid

import pytest
from django.test import Client

from backend.core.errors import PermissionDenied
from backend.households.models import Household
from backend.pipeline.intake import submission_decide
from backend.review.models import ReviewComment
from backend.submissions.models import ReviewState, Submission
from tests.households.entity_forms import register_xml


@pytest.fixture(autouse=True)
def _forms(forms):
    """The registration and visit forms with household blocks."""


@pytest.fixture
def approval(project):
    project.household_creation_needs_approval = True
    project.save()


@pytest.fixture
def registration_in_b(townships, approval, phone_of):
    """Worker A registers a household in township B's village."""
    entity = str(uuid.uuid4())
    xml = register_xml(entity, code="B1-NEW", village=townships.b1.code)
    assert phone_of(townships.worker_a, xml).status_code == 201
    return Submission.objects.get(form__xml_form_id="register")


def decide(client: Client, user, submission, decision="approved"):
    client.force_login(user)
    return client.post(
        f"/p/demo/submissions/{submission.pk}/decide", {"decision": decision, "comment": "ok"}
    )


def test_a_registration_belongs_to_the_village_it_registers_in(townships, registration_in_b):
    assert registration_in_b.village == townships.b1
    assert not Household.objects.filter(code="B1-NEW").exists()


def test_another_townships_supervisor_decides_nothing_on_it(
    client: Client, townships, registration_in_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, townships.supervisor_a, registration_in_b).status_code == 404
    registration_in_b.refresh_from_db()
    assert registration_in_b.review_state == ReviewState.RECEIVED
    assert not Household.objects.filter(code="B1-NEW").exists()
    with pytest.raises(PermissionDenied):
        submission_decide(
            submission=registration_in_b, actor=townships.supervisor_a, state="approved"
        )
    assert not ReviewComment.objects.exists()
    assert not Household.objects.filter(code="B1-NEW").exists()


def test_its_own_supervisor_approves_it(
    client: Client, townships, registration_in_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, townships.supervisor_b, registration_in_b).status_code == 302
    household = Household.objects.get(code="B1-NEW")
    assert household.village == townships.b1


def test_a_visit_that_met_nobody_belongs_to_the_household_it_names(
    client: Client, townships, phone_of, project
):
    unhelped = Household.objects.create(
        project=project, code="A1-002", label="A1-002", village=townships.a1, head_name="王"
    )
    xml = (
        f'<data id="visit" version="1"><hh>{unhelped.uuid}</hh><meta>'
        f"<instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="households" id="{unhelped.uuid}" update="0" baseVersion="1" '
        'trunkVersion="" branchId=""/></meta></data>'
    ).encode()
    assert phone_of(townships.worker_a, xml).status_code == 201
    submission = Submission.objects.get()
    assert submission.village == townships.a1
    client.force_login(townships.supervisor_a)
    assert client.get(f"/p/demo/submissions/{submission.pk}/").status_code == 200


def test_naming_a_household_outside_the_senders_scope_places_nothing(townships, phone_of):
    target = townships.home_a
    xml = (
        f'<data id="visit" version="1"><hh>{target.uuid}</hh><meta>'
        f"<instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="households" id="{target.uuid}" update="0" baseVersion="1" '
        'trunkVersion="" branchId=""/></meta></data>'
    ).encode()
    phone_of(townships.worker_b, xml)
    assert Submission.objects.get().village is None
