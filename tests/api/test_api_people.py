from django.urls import reverse

from backend.accounts.models import DeviceToken
from backend.accounts.services import device_token_issue
from tests.api.conftest import api
from tests.factories import ProjectFactory


def url(view, **kwargs):
    return reverse(f"api:{view}", kwargs={"slug": "demo", **kwargs})


def test_admin_lists_members_with_roles_and_areas(alice, bob, sam_in_east):
    members = api(alice).get(url("list_project_users")).json()

    assert [(m["username"], m["role"]) for m in members] == [
        ("alice", "admin"),
        ("bob", "collector"),
        ("sam", "supervisor"),
    ]
    assert members[2]["areas"][0]["code"] == "demo-v01"


def test_admin_lists_and_revokes_phones(alice, bob, bob_token):
    client = api(alice)
    [device] = client.get(url("list_devices")).json()

    response = client.post(url("revoke_device", device_id=device["id"]))

    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert DeviceToken.objects.get().revoked_at is not None
    assert client.get(url("list_devices")).json() == []
    assert [d["user"] for d in client.get(url("list_devices"), {"revoked": True}).json()] == ["bob"]


def test_only_project_admins_see_people_and_phones(alice, sam, bob, bob_token, mallory):
    device = DeviceToken.objects.get()
    other_project = ProjectFactory(slug="other")
    elsewhere, _ = device_token_issue(user=alice, project=other_project)

    for client, status in ((api(sam), 403), (api(bob), 403), (api(mallory), 404)):
        assert client.get(url("list_project_users")).status_code == status
        assert client.get(url("list_devices")).status_code == status
        assert client.post(url("revoke_device", device_id=device.pk)).status_code == status
    # A device of another project is missing here, even for this project's admin.
    assert api(alice).post(url("revoke_device", device_id=elsewhere.pk)).status_code == 404
    assert not DeviceToken.objects.filter(revoked_at__isnull=False).exists()
