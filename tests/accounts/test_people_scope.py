"""An admin manages only the people of their own area, never a wider area or a higher role."""

import pytest
from django.test import Client
from django.urls import reverse

from backend.accounts.models import DeviceToken
from backend.accounts.services import device_token_issue
from tests.factories import UserFactory


def issue(client: Client, user_id: int):
    return client.post(reverse("accounts:issue", args=["demo", user_id]), {"label": "phone"})


@pytest.mark.parametrize("target", ["worker_a", "supervisor_a", "superuser", "alice"])
def test_a_township_admin_issues_no_phone_outside_their_township(
    client: Client, townships, alice, target
):
    people = {"superuser": UserFactory(username="root", is_superuser=True), "alice": alice}
    user = people.get(target) or getattr(townships, target)
    client.force_login(townships.admin_b)
    assert issue(client, user.pk).status_code == 404
    assert client.get(reverse("accounts:member", args=["demo", user.pk])).status_code == 404
    assert not DeviceToken.objects.exists()


def test_a_township_admin_provisions_the_people_of_their_township(client: Client, townships):
    client.force_login(townships.admin_b)
    for user in (townships.worker_b, townships.supervisor_b):
        response = issue(client, user.pk)
        assert response.status_code == 200
        assert "/key/" in response.content.decode()
    assert DeviceToken.objects.filter(user=townships.worker_b).count() == 1


def test_the_county_admin_provisions_everyone_and_supervisors_nobody(
    client: Client, townships, alice
):
    client.force_login(townships.supervisor_a)
    assert issue(client, townships.worker_a.pk).status_code == 403
    client.force_login(alice)
    for user in (townships.worker_a, townships.supervisor_a, townships.admin_b):
        assert issue(client, user.pk).status_code == 200
    assert DeviceToken.objects.count() == 3


def test_a_township_admin_revokes_no_phone_outside_their_township(
    client: Client, townships, project
):
    token, _ = device_token_issue(user=townships.worker_a, project=project)
    url = reverse("accounts:revoke", args=["demo", townships.worker_a.pk, token.pk])
    client.force_login(townships.admin_b)
    assert client.post(url).status_code == 404
    api = client.post(f"/api/v1/projects/demo/devices/{token.pk}/revoke")
    assert api.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_people_lists_show_only_the_people_an_admin_manages(client: Client, townships, project):
    client.force_login(townships.admin_b)
    page = client.get(reverse("accounts:people", args=["demo"])).content.decode()
    assert "worker_b" in page
    assert "worker_a" not in page
    assert "supervisor_a" not in page
    users = [m["username"] for m in client.get("/api/v1/projects/demo/users").json()]
    assert sorted(users) == ["admin_b", "supervisor_b", "worker_b"]
    device_token_issue(user=townships.worker_a, project=project)
    assert client.get("/api/v1/projects/demo/devices").json() == []


def test_a_worker_without_areas_is_managed_where_their_households_are(client: Client, townships):
    client.force_login(townships.admin_b)
    helper = townships.worker_a
    helper.memberships.get().areas.clear()
    assert issue(client, helper.pk).status_code == 404
    townships.home_a.village = townships.b1
    townships.home_a.save()
    assert issue(client, helper.pk).status_code == 200
