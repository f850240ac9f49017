from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from backend.areas.models import Area, Level
from backend.households.models import Household, HouseholdVersion
from backend.projects.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.submissions.photos import publish_simple, submission_with_photo
from tests.sync.submissions import jpeg

PHOTO = jpeg(color=(10, 200, 10))


@pytest.fixture
def received(project, alice, bob):
    publish_simple(project, alice)
    return submission_with_photo(project, bob, photo=PHOTO)


def url(submission, name="a.jpg", slug="demo"):
    return reverse(
        "submission-attachment", kwargs={"slug": slug, "pk": submission.pk, "name": name}
    )


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_project_admin_and_the_sender_get_the_photo(received, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(received))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="a.jpg"'
    assert body(response) == PHOTO


@pytest.mark.parametrize("who", ["mallory", None])
def test_outsiders_and_anonymous_get_404(received, mallory, who):
    user = mallory if who else None
    assert client_for(user).get(url(received)).status_code == 404


def test_another_field_worker_gets_404(received, project):
    carol = UserFactory(username="carol")
    MembershipFactory(project=project, user=carol, role=Role.COLLECTOR)
    assert client_for(carol).get(url(received)).status_code == 404


def test_supervisor_sees_only_submissions_about_households_in_their_areas(received, project, sam):
    county = Area.objects.create(code="c", name="C", level=Level.COUNTY)
    village = Area.objects.create(code="v", name="V", level=Level.VILLAGE, parent=county)
    elsewhere = Area.objects.create(code="w", name="W", level=Level.VILLAGE, parent=county)
    Membership.objects.get(project=project, user=sam).areas.add(elsewhere)
    assert client_for(sam).get(url(received)).status_code == 404

    household = Household.objects.create(project=project, code="H-1", label="H", village=village)
    HouseholdVersion.objects.create(household=household, version=1, submission=received)
    received.village = village  # what the merge records with the version
    received.save(update_fields=["village"])
    Membership.objects.get(project=project, user=sam).areas.add(village)
    assert client_for(sam).get(url(received)).status_code == 200


def test_unknown_name_submission_or_project_is_404(received, alice):
    client = client_for(alice)
    assert client.get(url(received, name="b.jpg")).status_code == 404
    assert client.get(url(received, slug="other")).status_code == 404
    missing = reverse(
        "submission-attachment", kwargs={"slug": "demo", "pk": received.pk + 99, "name": "a.jpg"}
    )
    assert client.get(missing).status_code == 404


def test_x_accel_redirect_leaves_the_bytes_to_nginx(received, alice, settings):
    settings.MEDIA_X_ACCEL_PREFIX = "/protected-media/"
    response = client_for(alice).get(url(received))
    attachment = received.attachments.get(name="a.jpg")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"


def test_object_storage_answers_with_a_short_lived_signed_url(received, alice, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "photos",
                "endpoint_url": "http://127.0.0.1:9000",
                "access_key": "key",
                "secret_key": "secret",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "querystring_expire": 120,
            },
        },
    }
    response = client_for(alice).get(url(received))
    attachment = received.attachments.get(name="a.jpg")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.path == f"/photos/{attachment.file.name}"
    assert query["X-Amz-Expires"] == ["120"]
    assert query["response-content-type"] == ["image/jpeg"]
    assert "X-Amz-Signature" in query
    assert response["Cache-Control"] == "private, no-store"


def test_content_a_browser_would_run_is_sent_as_bytes(received, alice):
    received.attachments.filter(name="a.jpg").update(content_type="text/html")
    response = client_for(alice).get(url(received))
    assert response["Content-Type"] == "application/octet-stream"


def test_post_is_not_allowed(received, alice):
    assert client_for(alice).post(url(received)).status_code == 405
