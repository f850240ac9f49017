"""People and phones (backend/accounts/pages.py): members, a phone's QR code once, revoking."""

import base64
import io
import json
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from backend.accounts.models import DeviceToken
from backend.areas.models import Area, Level
from backend.projects.models import Project, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


def test_people_lists_members_with_roles_areas_and_phones(client: Client, alice, bob, sam):
    county = Area.objects.create(code="c1", name="示范县", level=Level.COUNTY)
    township = Area.objects.create(code="t1", name="东镇", level=Level.TOWNSHIP, parent=county)
    sam.memberships.get().areas.add(township)
    DeviceToken.objects.create(user=bob, project=alice.memberships.get().project, digest="x" * 64)
    client.force_login(alice)
    response = client.get(reverse("accounts:people", args=["demo"]))
    assert response.status_code == 200
    members = {m.user.username: m for m in response.context["members"]}
    assert set(members) == {"alice", "bob", "sam"}
    assert members["bob"].devices == 1
    content = response.content.decode()
    assert "东镇" in content
    assert "Field worker" in content


def test_issue_shows_the_qr_code_once_and_stores_only_a_hash(client: Client, alice, bob):
    client.force_login(alice)
    url = reverse("accounts:issue", args=["demo", bob.pk])
    response = client.post(url, {"label": "Bob's Redmi"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    setup = response.context["setup"]
    secret = setup.server_url.split("/key/")[1].split("/")[0]
    token = DeviceToken.objects.get()
    assert token.label == "Bob's Redmi"
    assert token.user == bob
    assert DeviceToken.objects.by_token(secret) == token
    assert secret not in token.digest
    decoded = json.loads(zlib.decompress(base64.b64decode(setup.text)))
    assert decoded["general"]["server_url"] == setup.server_url
    png = base64.b64decode(
        response.content.decode().split("data:image/png;base64,")[1].split('"')[0]
    )
    assert Image.open(io.BytesIO(png)).format == "PNG"
    # The member's page lists the phone but never the secret again.
    page = client.get(reverse("accounts:member", args=["demo", bob.pk])).content.decode()
    assert "Bob&#x27;s Redmi" in page
    assert secret not in page


def test_revoke(client: Client, alice, bob, project):
    client.force_login(alice)
    client.post(reverse("accounts:issue", args=["demo", bob.pk]), {"label": "old"})
    token = DeviceToken.objects.get()
    response = client.post(reverse("accounts:revoke", args=["demo", bob.pk, token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not DeviceToken.objects.active().exists()


def test_tokens_of_other_projects_or_members_are_404(client: Client, alice, bob, sam, project):
    other: Project = ProjectFactory(slug="other")
    MembershipFactory(project=other, user=bob, role=Role.COLLECTOR)
    foreign = DeviceToken.objects.create(user=bob, project=other, digest="y" * 64)
    client.force_login(alice)
    assert (
        client.post(reverse("accounts:revoke", args=["demo", bob.pk, foreign.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("accounts:revoke", args=["demo", sam.pk, foreign.pk])).status_code
        == 404
    )
    stranger = UserFactory(username="stranger")
    assert client.get(reverse("accounts:member", args=["demo", stranger.pk])).status_code == 404
    assert client.post(reverse("accounts:issue", args=["demo", stranger.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert not DeviceToken.objects.filter(user=stranger).exists()


@pytest.mark.parametrize(
    ("method", "name", "with_token"),
    [
        ("get", "accounts:people", False),
        ("get", "accounts:member", False),
        ("post", "accounts:issue", False),
        ("post", "accounts:revoke", True),
    ],
)
def test_only_project_admins(client: Client, alice, sam, bob, mallory, method, name, with_token):
    token = DeviceToken.objects.create(
        user=bob, project=alice.memberships.get().project, digest="z" * 64
    )
    args = ["demo"] if name == "accounts:people" else ["demo", bob.pk]
    if with_token:
        args.append(token.pk)
    for user, status in ((mallory, 404), (bob, 403), (sam, 403)):
        client.force_login(user)
        assert getattr(client, method)(reverse(name, args=args)).status_code == status, user
    assert DeviceToken.objects.count() == 1
    assert DeviceToken.objects.get().revoked_at is None


def test_issue_needs_the_csrf_token(alice, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("accounts:issue", args=["demo", bob.pk])).status_code == 403
    assert not DeviceToken.objects.exists()
