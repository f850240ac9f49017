"""Field data for the API tests: two villages, workers in each, submissions with photos and flags.

bob works in 东坡村 (demo-v01), carol in 西河村 (demo-v02); sam supervises demo-v01 only.
"""

import io
import uuid

import pytest
from django.test import Client
from PIL import Image

from backend.accounts.services import api_token_issue
from backend.areas.models import Area, Level
from backend.pipeline.intake import submission_intake
from backend.projects.models import Membership, Role
from backend.submissions.models import Submission
from tests.factories import MembershipFactory, UserFactory
from tests.households.entity_forms import publish_entity_forms, register_xml, send, visit_xml
from tests.sync.conftest import *  # noqa: F403  the phone, the village and the personas
from tests.sync.submissions import multipart, simple_xml

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.72, 26.5], [106.735, 26.5], [106.735, 26.515], [106.72, 26.5]]],
}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "JPEG")
    return out.getvalue()


def bearer(user) -> dict[str, str]:
    """Headers that sign a request in with a fresh personal token of the user."""
    _, secret = api_token_issue(user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def api(user) -> Client:
    """A client that sends the user's token on every request (no session, no CSRF)."""
    return Client(headers=bearer(user))


@pytest.fixture
def west(village) -> Area:
    return Area.objects.create(
        code="demo-v02", name="西河村", level=Level.VILLAGE, parent=village.parent, boundary=SQUARE
    )


@pytest.fixture
def carol(project, west):
    user = UserFactory(username="carol", full_name="Carol")
    MembershipFactory(project=project, user=user, role=Role.COLLECTOR)
    return user


@pytest.fixture
def sam_in_east(sam, project, village):
    """sam supervises only 东坡村."""
    Membership.objects.get(project=project, user=sam).areas.set([village])
    return sam


@pytest.fixture
def field(project, alice, bob, carol, collect, simple, django_capture_on_commit_callbacks):
    """Three current submissions: bob registers a household in demo-v01 and visits it (income
    below the line: a flag), bob sends a simple form with a photo, carol registers in demo-v02."""
    publish_entity_forms(project, alice)
    east_home = str(uuid.uuid4())
    registration = send(collect, register_xml(east_home))
    visit = send(collect, visit_xml(east_home, 1, size=5, income=2000))
    response = collect("post", "submission", data=multipart(simple_xml(), ("a.jpg", jpeg())))
    assert response.status_code == 201
    photo = Submission.objects.get(form__xml_form_id="simple")
    with django_capture_on_commit_callbacks(execute=True):
        west_reg = _send_as(
            carol, project, register_xml(str(uuid.uuid4()), code="W-1", village="demo-v02")
        )
    return {"registration": registration, "visit": visit, "photo": photo, "west": west_reg}


def _send_as(user, project, xml):
    return submission_intake(project=project, xml=xml, files=[], submitted_by=user).submission
